import { foldForMatching } from "../text/fold.js";

/**
 * Prompt-injection and configuration-probing attempts. They get the ordinary refusal: the assistant
 * never explains its instructions, model, prompt or settings. Matched on folded text, so both scripts
 * and full-width forms are caught.
 */
const INJECTION: RegExp[] = [
  /(忽略|无视|忘记|忘掉|不要理会|绕过)[^。？?！!]{0,10}(指令|指示|提示词|规则|设定|限制|约束)/,
  /(系统|初始|原始|隐藏)(提示词|prompt|指令)/i,
  /system\s*prompt|developer\s*mode|jailbreak|ignore\s+(all\s+)?(the\s+)?(previous|above|prior|earlier)(?!\s+(?!(?:instructions?|prompts?|commands?|messages?|text|context|conversation|ones|and)\b)[a-z])|dan\s*mode|(reveal|print|show|repeat)\s+(me\s+)?(your|the)\s+(instructions|prompt|rules)/i,
  /开发者模式|越狱|调试模式|管理员模式|上帝模式/,
  /(你的|你们的|系统的?)(配置|设置|参数|模型|api\s*key|密钥|环境变量|源代码|源码|后台)/i,
  /(api\s*key|apikey|密钥|access\s*token|环境变量|\.env\b|配置文件)/i,
  /(请你|你|您)(来|现在)?(扮演|假装)|假设你是|你现在是|从现在起你/,
  // The English forms of the two above: 忽略…指令/规则/设定/限制, 从现在起你….
  /\b(ignore|disregard|forget|bypass)\s+(all\s+|any\s+)?(of\s+)?(the\s+|your\s+|these\s+)?(instructions|rules|settings|restrictions|constraints)\b/i,
  // …with the instructions' own qualifier between (ignore your previous instructions, disregard all prior
  // instructions): the words that say which orders — the earlier ones, the system's. Instructions, prompts
  // and commands only: a policy's previous rules are what a parent may ask about.
  /\b(?:ignore|disregard|forget|bypass|override)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+|these\s+|those\s+)?(?:previous|prior|earlier|above|preceding|original|initial|system)\s+(?:instructions?|prompts?|commands?)\b(?!\s+(?:on|in|from|for|of)\b)/i,
  /\bfrom now on,?\s+you\b/i,
  // An order to set the documents aside — a sentence of its own (Ignore the documents.) or one that goes
  // on to order the reply (…, and answer …, and make up …) — and an order for what to answer from now on: the forms of
  // 忽略…指令 and 从现在起你… aimed at the sources and the replies rather than at the rules. A question that
  // only mentions them (what if I ignore the documents, Forget the documents — can I register…?,
  // 无视文件规定乱收费, From now on, answer sheets are scanned) is no order.
  /(?:^|[.!?;。！？；]\s*)(?:please\s+)?(?:ignore|disregard|forget)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+|these\s+|those\s+)?(?:documents?|context|sources?|files?|knowledge\s*base)(?=\s*(?:[.!;]|$|,?\s*and\s+(?:(?:answer|reply|respond|say|tell|confirm)\b|(?:just\s+|simply\s+|instead\s+)?(?:make\s+up|invent|fabricate|guess|pretend)\b)))/i,
  /\bfrom now on,?\s+(?:please\s+)?(?:(?:answer|reply|respond)\s+(?:every|all|each|only|with|to|me|my|questions?)\b|say\b|always\s+(?:answer|reply|say|respond)\b)/i,
  /(?:^|[，。！？；,.!?;\s])(?:请)?(?:忽略|无视|不要管|别管)(?:掉)?(?:上面|以上|前面|所有|全部|这些|你的)?的?(?:文件|资料|文档|知识库)(?=[，,。.!！;；]|$)/,
  /从现在(?:起|开始)[，,]?你(?:只|都|一律)?(?:回答|回复|说|要说)/,
  // A message passed off as the system's (SYSTEM UPDATE: …) that orders what to say: not a notice a
  // parent pastes to ask what it means (System notice: your application was received. What next?).
  /^\s*(?:system|admin(?:istrator)?|developer)\s+(?:update|override|message|notice|instructions?|command)\s*[:：](?=.*\b(?:confirm|ignore|disregard|you must|you are now|from now on|always (?:answer|reply|say))\b)/i,
  /(原样|逐字)(告诉|输出|复述|打印|显示|重复)/,
  /提示词|prompt/i,
  // Bulk exfiltration of the corpus: every file's name or full text, the knowledge base, the index.
  /(输出|导出|打印|列出|发给我|给我|贴出|全部给)[^。？?！!]{0,12}(知识库|资料库|向量库|索引|训练数据|(所有|全部)的?(文件|文档|资料)的?(文件名|名称|原文|全文|内容))/,
  /(知识库|资料库|向量库|训练数据)[^。？?！!]{0,12}(原文|全文|全部内容|文件名|完整)/,
  /(所有|全部)的?(文件|文档|资料)的?(文件名|原文|全文)/,
  /(dump|export|print|list)\s+(all\s+)?(of\s+)?(your|the)\s+(knowledge\s*base|documents|files|index|training\s+data)/i,
];

export function isInjectionAttempt(question: string): boolean {
  const folded = foldForMatching(question);
  return INJECTION.some((pattern) => pattern.test(folded));
}
