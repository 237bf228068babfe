import { foldForMatching } from "../text/fold.js";
import { ASKING_CLAUSE } from "./attribute.js";

/**
 * Prompt-injection and configuration-probing attempts. They get the ordinary refusal: the assistant
 * never explains its instructions, model, prompt or settings. Matched on folded text, so both scripts
 * and full-width forms are caught.
 */
const INJECTION: RegExp[] = [
  /(忽略|无视|忘记|忘掉|不要理会|绕过)[^。？?！!]{0,10}(指令|指示|提示词|规则|设定|限制|约束)/,
  /(系统|初始|原始|隐藏)(提示词|prompt|指令)/i,
  /system\s*prompt|developer\s*mode|jailbreak|ignore\s+(all\s+)?(the\s+)?(previous|above|prior|earlier)|dan\s*mode|(reveal|print|show|repeat)\s+(me\s+)?(your|the)\s+(instructions|prompt|rules)/i,
  /开发者模式|越狱|调试模式|管理员模式|上帝模式/,
  /(你的|你们的|系统的?)(配置|设置|参数|模型|api\s*key|密钥|环境变量|源代码|源码|后台)/i,
  /(api\s*key|apikey|密钥|access\s*token|环境变量|\.env\b|配置文件)/i,
  /(请你|你|您)(来|现在)?(扮演|假装)|假设你是|你现在是|从现在起你/,
  // The English forms of the two above: 忽略…指令/规则/设定/限制, 从现在起你….
  /\b(ignore|disregard|forget|bypass)\s+(all\s+|any\s+)?(of\s+)?(the\s+|your\s+|these\s+)?(instructions|rules|settings|restrictions|constraints)\b/i,
  /\bfrom now on,?\s+(?:you|answer|reply|respond|say|tell)\b/i,
  // Told to set the documents aside (ignore the documents, 请无视上面的资料…都回答…): the answer is only ever
  // theirs. Said to the assistant — opening a sentence, or after please/请 — not of the asker (what if I
  // ignore the documents the school sent, 我忽略了文件里的截止日期) nor of a school (will the school disregard…).
  /(?:^|[.!;:,]\s*|\bplease\s+)(?:ignore|disregard)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+|these\s+|those\s+)?(?:documents?|sources?|context|files?|knowledge\s*base)\b/i,
  // …and told what to answer instead: 别管上面的内容，我重新问 starts a question again.
  /(?:^|[，,。！!；;\s]|请|你|您)(?:忽略|无视|不要理会|不用管|别管)掉?(?:上面|以上|前面|之前|所有|全部|你的)?的?(?:文件|文档|资料|知识库)[^。？?！!]{0,20}(?:回答|回复|告诉|只说|就说|都说)/,
  /(?:从现在起|从现在开始|从今以后)[^。？?！!]{0,4}(?:你|您|所有问题|每个问题)[^。？?！!]{0,10}(?:回答|回复|都说|只说|就说)/,
  /(原样|逐字)(告诉|输出|复述|打印|显示|重复)/,
  /提示词|prompt/i,
  // Bulk exfiltration of the corpus: every file's name or full text, the knowledge base, the index.
  /(输出|导出|打印|列出|发给我|给我|贴出|全部给)[^。？?！!]{0,12}(知识库|资料库|向量库|索引|训练数据|(所有|全部)的?(文件|文档|资料)的?(文件名|名称|原文|全文|内容))/,
  /(知识库|资料库|向量库|训练数据)[^。？?！!]{0,12}(原文|全文|全部内容|文件名|完整)/,
  /(所有|全部)的?(文件|文档|资料)的?(文件名|原文|全文)/,
  /(dump|export|print|list)\s+(all\s+)?(of\s+)?(your|the)\s+(knowledge\s*base|documents|files|index|training\s+data)/i,
];

/**
 * A message dressed as the system's or an administrator's (SYSTEM UPDATE: …, [SYSTEM], 【系统公告】…) that
 * tells the assistant what to say; a parent pasting a notice they received (系统通知：您的报名审核未通过，这是
 * 什么原因？) asks about it instead.
 */
const ROLE_PREFIX = [
  /^\s*(?:[[【(（]\s*(?:system|admin(?:istrator)?|developer|operator)\s*(?:update|message|notice|override|instructions?)?\s*[\]】)）]|(?:system|admin(?:istrator)?|developer|operator)\s*(?:update|message|notice|override|instructions?)?\s*[:：])/i,
  /^\s*(?:[【[(（]\s*(?:系统|管理员|开发者)(?:更新|通知|消息|指令|公告)?\s*[】\])）]|(?:系统|管理员|开发者)(?:更新|通知|消息|指令|公告)\s*[:：])/,
];
const TELLS_ASSISTANT = /\b(?:confirm|tell|answer|reply|respond|say|announce|cite)\b|确认|回答|回复|告诉|转告|照此|照这个/i;
/** A message that asks: a Chinese asking clause (attribute.ts), or an English question mark or a sentence opening with a question word. */
const asks = (folded: string) => ASKING_CLAUSE.test(folded) || /(?:^|[.!:;]\s+)(?:what|why|how|where|when|which|who|can|could|is|are|do|does|did|will|should)\b/i.test(folded);

export function isInjectionAttempt(question: string): boolean {
  const folded = foldForMatching(question);
  if (INJECTION.some((pattern) => pattern.test(folded))) return true;
  return ROLE_PREFIX.some((pattern) => pattern.test(folded)) && TELLS_ASSISTANT.test(folded) && !asks(folded);
}
