/**
 * Domain words the general jieba dictionary splits wrongly (幼升小 → 幼|升|小). Loaded into every
 * segmenter as a user dictionary; its version is recorded in the index manifest, so changing this
 * list makes the loader ask for a rebuild.
 */
export const DOMAIN_WORDS: readonly string[] = [
  "幼升小", "小升初", "一网通办", "全网办", "全照办", "双减", "课后服务", "课后延时服务", "延时服务",
  "延时托管", "课后托管", "普惠性", "普惠园", "普惠性幼儿园", "普惠性学位", "集团化办学", "教育集团",
  "强镇筑基", "教育强镇", "公办园", "民办园", "优质园", "配套园", "薄弱园", "托育", "托育备案", "托位",
  "托班", "长幼随学", "学位", "公办学位", "助学金", "奖助学金", "生活补助", "特级教师", "省特级教师",
  "校园足球", "陪餐", "陪餐制", "午餐陪餐制", "配餐", "集中配餐", "校车", "国际学生", "随班就读",
  "特殊教育", "特教", "职业教育", "职教", "中职", "高职", "产教融合", "思政课", "近视防控",
  "校外培训机构", "培训机构", "民办教育", "义务教育", "学前教育", "优质均衡", "人工智能教育",
  "人工智能课程", "人工智能实验室", "心理健康", "心理健康教育", "校园欺凌", "欺凌", "发文编号",
  "生均公用经费", "基准定额", "小规模学校", "家庭经济困难学生", "寄宿生", "扩优提质", "提质扩优",
  "一校一品", "十个一", "三名工程", "三定一聘", "一长多校", "放管服", "校园一码通", "一键式紧急报警",
  "中考", "高考", "招生报名", "网上报名", "入学", "学籍", "新建改扩建", "改扩建", "强校提质",
  "优质园占比", "在园幼儿", "覆盖率", "参与率", "体质健康", "家校共育", "家庭教育", "劳动教育",
  "安全管理办法", "校舍", "食品安全", "食堂", "上下学", "接送", "智慧教育", "教育频道",
  "有问必答", "教育关切", "强基计划", "海洋教育", "城市+大学",
];

/** Stable version of the dictionary: a short FNV-1a hash of its words. */
export const DOMAIN_DICTIONARY_VERSION = `domain-${fnv1a(DOMAIN_WORDS.join("\n")).toString(16)}`;

export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
