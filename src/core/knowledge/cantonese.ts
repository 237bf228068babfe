/**
 * Written Cantonese function words and interrogatives, read as their standard written Chinese
 * counterparts before a question is analysed: 幾多 asks what 多少 asks, 邊度 what 哪里 asks, 係咪 what
 * 是不是 asks. A closed class of grammar words (the interrogatives, negators, pronouns, copula, aspect
 * markers and final particles that grammars of Cantonese pair with standard written forms), applied to
 * folded (Simplified) text; no content word of any question or document.
 *
 * Two tiers. Words only Cantonese writes (嘅, 咗, 冇, 喺, 佢, 哋, 嗰, 啲, 幾多, 邊度, 係咪, 乜, 咩 …) are read
 * always. Words Mandarin also writes (边 of 这边/周边, 点样 of 重点样板, 呢, 唔, 咁, 俾, 几时) are read as
 * Cantonese only in a question that has one of the first kind.
 */
const ALWAYS: ReadonlyArray<readonly [RegExp, string]> = [
  [/几多/g, "多少"],
  [/边(?:度|处)/g, "哪里"],
  [/乜嘢|乜/g, "什么"],
  // A final 咩 asks yes or no (免费咩？); elsewhere it is "what" (要带咩文件).
  [/咩(?=[?？]?$)/g, "吗"],
  [/咩/g, "什么"],
  [/系唔系|系咪/g, "是不是"],
  [/有冇/g, "有没有"],
  [/冇/g, "没有"],
  [/唔该/g, "请"],
  [/唔系/g, "不是"],
  [/喺/g, "在"],
  [/嘅/g, "的"],
  [/佢哋/g, "他们"],
  [/佢/g, "他"],
  [/哋/g, "们"],
  // 嗰 folds to 𠮶 (OpenCC's Simplified form).
  [/嗰|𠮶/g, "那"],
  [/啲/g, "些"],
  [/睇/g, "看"],
  [/揾/g, "找"],
  [/畀/g, "给"],
  [/攞/g, "拿"],
  [/嚟/g, "来"],
  [/咗/g, "了"],
  // 㗎 is 嘅 + 啊 fused (ge3 + aa3): the 的 of 边个讲㗎 (谁讲的), then a particle.
  [/㗎/g, "的"],
  [/[嘞喎啩]/g, ""],
];

/** Read as Cantonese only beside a word of the first kind. */
const IN_CANTONESE: ReadonlyArray<readonly [RegExp, string]> = [
  [/几时/g, "什么时候"],
  // 係 (folded 系) is the copula before a question word (学费係幾多, 係乜), not 体系's 系.
  [/系(?=几多|乜|咩|边|点|几|多少|什么)/g, "是"],
  // 边 before a measure word (边个, 边间), not after a place or direction (这边, 周边, 旁边, 海边).
  [/(?<![这那旁周身两左右东西南北前后里外上下海江河路街])边(?=[个位些啲间所样条种家日年次])/g, "哪"],
  [/点样/g, "怎样"],
  [/点解/g, "为什么"],
  [/点算/g, "怎么办"],
  // The days next to today (聽日 tomorrow, 琴日/尋日 yesterday); Mandarin writes the characters side by
  // side too (听日语课, 钢琴日常, 查寻日期), so only beside a word of the first kind.
  [/听日/g, "明天"],
  [/琴日|寻日/g, "昨天"],
  // 使 is "need" (使唔使带 asks 要不要带; 唔使 is 不用).
  [/使唔使/g, "要不要"],
  [/唔使/g, "不用"],
  [/唔/g, "不"],
  [/^咁/g, "那"],
  [/呢(?=[个间些啲位所样度])/g, "这"],
  [/俾/g, "给"],
];

/**
 * A word only written Cantonese uses (folded forms: 係咪 is 系咪), and an A-not-A verb negated by 唔
 * (会唔会, 要唔要, 使唔使), which Mandarin negates by 不.
 */
const SURELY_CANTONESE = /[嘅咗冇喺佢哋嗰啲睇揾嚟攞畀㗎嘞喎啩乜咩]|𠮶|几多|边度|边处|系咪|系唔系|有冇|唔该|唔系|(?!唔)([\u4e00-\u9fff])唔\1/;

/** Folded text with its written Cantonese grammar words replaced by their standard counterparts. */
export function writtenFromSpoken(folded: string): string {
  if (!SURELY_CANTONESE.test(folded)) return folded;
  let text = folded;
  // The ambiguous words first, while the sure ones that license them are still there.
  for (const [spoken, written] of IN_CANTONESE) text = text.replace(spoken, written);
  for (const [spoken, written] of ALWAYS) text = text.replace(spoken, written);
  return text;
}
