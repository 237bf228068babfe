import { foldForMatching } from "../text/fold.js";

/**
 * Prompt-injection and configuration-probing attempts. They get the ordinary refusal: the assistant
 * never explains its instructions, model, prompt or settings. Matched on folded text, so both scripts
 * and full-width forms are caught.
 */
const INJECTION: RegExp[] = [
  /(忽略|无视|忘记|忘掉|不要理会|绕过)[^。？?！!]{0,10}(指令|指示|提示词|规则|设定|限制|约束)/,
  /(系统|初始|原始|隐藏)(提示词|prompt|指令)/i,
  /system\s*prompt|developer\s*mode|jailbreak|ignore\s+(all\s+)?(previous|above|prior)|dan\s*mode/i,
  /开发者模式|越狱|调试模式|管理员模式|上帝模式/,
  /(你的|你们的|系统的?)(配置|设置|参数|模型|api\s*key|密钥|环境变量|源代码|源码|后台)/i,
  /(api\s*key|apikey|密钥|access\s*token|环境变量|\.env\b|配置文件)/i,
  /(请你|你|您)(来|现在)?(扮演|假装)|假设你是|你现在是|从现在起你/,
  /(原样|逐字)(告诉|输出|复述|打印|显示|重复)/,
  /提示词|prompt/i,
];

export function isInjectionAttempt(question: string): boolean {
  const folded = foldForMatching(question);
  return INJECTION.some((pattern) => pattern.test(folded));
}

/**
 * Places other than this city. A question about another city's figures (北京的中考分数线) cannot be
 * answered from this bureau's documents, even though its words (中考, 分数线) look on-topic.
 */
const OTHER_PLACES = [
  "北京", "上海", "天津", "重庆", "广州", "深圳", "杭州", "南京", "苏州", "武汉", "成都", "西安", "济南",
  "烟台", "潍坊", "威海", "淄博", "临沂", "济宁", "泰安", "日照", "东营", "聊城", "德州", "滨州", "菏泽",
  "枣庄", "郑州", "长沙", "合肥", "福州", "厦门", "南昌", "沈阳", "大连", "长春", "哈尔滨", "石家庄",
  "太原", "呼和浩特", "兰州", "西宁", "银川", "乌鲁木齐", "拉萨", "昆明", "贵阳", "南宁", "海口", "台北",
  "香港", "澳门", "宁波", "无锡", "温州", "东莞", "佛山", "珠海", "河北", "河南", "江苏", "浙江", "广东",
  "湖北", "湖南", "四川", "陕西", "安徽", "福建", "江西", "辽宁", "吉林", "黑龙江", "山西", "贵州", "云南",
  "甘肃", "海南", "广西", "内蒙古", "新疆", "西藏", "宁夏", "青海", "台湾",
];

/** Other places the question names (folded), e.g. ["北京"]. */
export function otherPlacesIn(question: string): string[] {
  const folded = foldForMatching(question);
  return OTHER_PLACES.filter((place) => mentionsPlace(folded, place));
}

/** The place as a place: 宁夏路, 香港中路 are Qingdao streets; 北京外国语大学 is a university. */
export function mentionsPlace(folded: string, place: string): boolean {
  return new RegExp(`${place}(?!路|街|中路|西路|东路|南路|北路|大学|外国语|航空|师范|理工)`).test(folded);
}

/**
 * Education-domain cues. A question with none of them (weather, recipes, poems, stock prices) is
 * off-topic however well some word of it happens to match a passage (青岛 appears everywhere).
 */
const DOMAIN_CUE =
  /[学校园师课教考招育托幼童]|孩子|小孩|子女|家长|儿童|少年|青少年|读书|上学|放学|补助|补贴|资助|助学|食堂|午餐|午饭|校车|培训|辅导|作业|近视|心理|欺凌|欺负|足球|体育|编程|机器人|特级|入园|入学|学位|托管|升学|毕业|招生|文号|发文|政策|教育局|双减|课后/;

export function mentionsEducation(question: string): boolean {
  return DOMAIN_CUE.test(foldForMatching(question));
}
