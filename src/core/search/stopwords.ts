/**
 * Words that carry no retrieval signal in a policy question or passage. Question words are here
 * because the answer never contains them (多少, 什么, 怎么 …); measure words and digits are not,
 * because figures are protected as whole tokens before stop words apply.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  "的", "了", "和", "与", "及", "以及", "或", "等", "在", "是", "为", "对", "将", "把", "被", "从", "向",
  "于", "以", "由", "并", "而", "也", "都", "又", "就", "还", "再", "更", "很", "最", "其", "之", "这",
  "那", "这个", "那个", "这些", "那些", "有", "有没有", "没有", "吗", "呢", "吧", "啊", "呀", "么", "嘛",
  "请问", "请", "问", "一下", "多少", "几", "几个", "几名", "几所", "什么", "哪些", "哪个", "哪里", "怎么",
  // The rest of the interrogative pronouns; 甚么 is CC-CEDICT's "variant of 什么".
  "谁", "哪", "哪位", "哪一位", "哪儿", "哪家", "啥", "咋", "甚么",
  "怎么样", "怎样", "如何", "是否", "能否", "可否", "能不能", "可不可以", "是不是", "多少钱", "我", "我们",
  "你", "你们", "他", "她", "它", "他们", "自己", "一些", "一个", "个", "要", "会", "能", "可以", "想",
  "着", "过", "到", "给", "让", "使", "得", "地", "所", "其中", "以上", "以下", "一共", "共", "现在",
  "目前", "今年", "去年", "年", "月", "日", "中", "上", "下", "内", "后", "前", "里", "吗?", "呢?",
  // Every document is the bureau's own: "the whole city" says nothing about which passage answers.
  // (The city's name is a place, recognised through the profile and weighted by the index like any word.)
  "全市", "我市", "本市",
]);

/** Punctuation, symbols and whitespace tokens. */
export const PUNCTUATION = /^[\s\p{P}\p{S}]+$/u;
