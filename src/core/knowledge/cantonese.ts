/**
 * Written Cantonese function words and interrogatives, read as their standard written Chinese
 * counterparts before a question is analysed: 幾多 asks what 多少 asks, 邊度 what 哪里 asks, 係咪 what
 * 是不是 asks. A closed class of grammar words (the interrogatives, negators, pronouns, copula, aspect
 * markers and final particles that grammars of Cantonese pair with standard written forms), applied to folded
 * (Simplified) text; no content word of any question or document. Words that are also common in
 * Mandarin writing are left alone unless their neighbours make them Cantonese (边 only before a
 * measure word: 边个, not 旁边; 呢 only before one: 呢个, not the particle; 系 only in 系咪, not 体系).
 */
const SPOKEN_TO_WRITTEN: ReadonlyArray<readonly [RegExp, string]> = [
  [/几多/g, "多少"],
  [/几时/g, "什么时候"],
  [/边(?:度|处)/g, "哪里"],
  [/边(?=[个位啲间所样条种家日年次])/g, "哪"],
  [/点样/g, "怎样"],
  [/点解/g, "为什么"],
  [/点算/g, "怎么办"],
  [/乜嘢|乜/g, "什么"],
  [/咩/g, "什么"],
  [/系唔系|系咪/g, "是不是"],
  [/有冇/g, "有没有"],
  [/冇/g, "没有"],
  [/唔该/g, "请"],
  [/唔系/g, "不是"],
  [/唔/g, "不"],
  [/喺/g, "在"],
  [/嘅/g, "的"],
  [/佢哋/g, "他们"],
  [/佢/g, "他"],
  [/哋/g, "们"],
  [/嗰/g, "那"],
  [/^咁/g, "那"],
  [/呢(?=[个间啲位所样])/g, "这"],
  [/啲/g, "些"],
  [/睇/g, "看"],
  [/揾/g, "找"],
  [/畀|俾/g, "给"],
  [/攞/g, "拿"],
  [/嚟/g, "来"],
  [/咗/g, "了"],
  [/[㗎嘞喎啩吖]/g, ""],
];

/** Characters only written Cantonese uses: a question without any is left as it is. */
const CANTONESE = /[几边点乜咩系冇唔喺嘅佢哋嗰咁呢啲睇揾畀俾攞嚟咗㗎嘞喎啩吖]/;

/** Folded text with its written Cantonese grammar words replaced by their standard counterparts. */
export function writtenFromSpoken(folded: string): string {
  if (!CANTONESE.test(folded)) return folded;
  let text = folded;
  for (const [spoken, written] of SPOKEN_TO_WRITTEN) text = text.replace(spoken, written);
  return text;
}
