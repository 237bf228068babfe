/**
 * Masks personal numbers a caller may type into a question before it reaches a log: mainland mobile
 * numbers (11 digits starting 13–19, optionally +86 / spaced / dashed) and resident ID-card numbers
 * (18 characters ending in a digit or X, or the old 15-digit form). Full-width digits are matched too,
 * since IMEs produce them. The first and last digits stay so a log line can still be correlated.
 */
const DIGIT = "[0-9０-９]";
const SEP = "[ \\-－]?";
const MOBILE = new RegExp(`(?<![0-9０-９])(?:(?:\\+|＋)?(?:86|８６)${SEP})?([1１][3-9３-９]${DIGIT}${SEP}${DIGIT}{4}${SEP}${DIGIT}{4})(?![0-9０-９])`, "g");
const ID_CARD = new RegExp(`(?<![0-9０-９])(${DIGIT}{17}[0-9０-９XxＸｘ]|${DIGIT}{15})(?![0-9０-９XxＸｘ])`, "g");

function mask(value: string): string {
  const chars = [...value];
  const digits = chars.filter((ch) => /[0-9０-９XxＸｘ]/.test(ch)).length;
  let seen = 0;
  return chars
    .map((ch) => {
      if (!/[0-9０-９XxＸｘ]/.test(ch)) return ch;
      seen++;
      return seen <= 3 || seen > digits - 2 ? ch : "*";
    })
    .join("");
}

/** Returns the text with mobile and ID-card numbers masked (13812345678 → 138******78). */
export function maskPersonalNumbers(text: string): string {
  return text.replace(ID_CARD, (m) => mask(m)).replace(MOBILE, (m, number: string) => m.slice(0, m.length - number.length) + mask(number));
}

// Landlines: an area code (0 + 2–3 digits, optionally in brackets) then a 7–8 digit local number,
// optionally an extension. A bare local number is too easily a figure (学号, amounts) to mask blindly,
// so without an area code it is masked only right after a word that says it is a phone number.
const LANDLINE = new RegExp(
  `(?<![0-9０-９])((?:[(（][0０]${DIGIT}{2,3}[)）]|[0０]${DIGIT}{2,3})[ \\-－]?[2-9２-９]${DIGIT}{6,7}(?:(?:转|-|－|ext\\.?)${DIGIT}{1,5})?)(?![0-9０-９])`,
  "g",
);
const LABELLED_LOCAL = new RegExp(`((?:电话|電話|座机|座機|固话|固話|联系方式|聯繫方式)(?:是|为|為|：|:)?\\s*)([2-9２-９]${DIGIT}{6,7})(?![0-9０-９])`, "g");
const EMAIL = /([A-Za-z0-9._%+-]+)@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

// A name typed after 我叫 / 孩子叫 / 我女儿叫 / 名字是 …: 2–4 Han characters, cut before the words that
// usually follow a name in a question (今年, 在, 是, 的, 上, 读 …) so "孩子叫王浩今年六岁" masks 王浩 only.
const NAME_CUE_SOURCE =
  "(?:我|孩子|小孩|娃|女儿|女兒|儿子|兒子|闺女|閨女|孙子|孫子|孙女|孫女|学生|學生|宝宝|寶寶)(?:的)?(?:名字|姓名)?(?:叫做|名叫|叫)|(?:名字|姓名)(?:是|为|為|：|:)\\s*";
const NAME_CUE = new RegExp(`(${NAME_CUE_SOURCE})([\\u4e00-\\u9fff]{2,4})`, "g");
const AFTER_NAME = /^(?:今年|今|现在|現在|明年|去年|刚|剛|已经|已經|在|是|的|上|读|讀|要|想|出生|户口|戶口|从|從|就|还|還|也|和|跟|同|于|於|男|女|岁|歲|[一二三四五六七八九十两兩几幾])/;

// 我叫不上来 / 孩子叫什么好: the cue without a name. No common surname starts these words.
const NOT_A_NAME = /^(?:[不没沒这這那你我他她它啥谁誰哪怎什几幾多]|一下)/;

function maskName(candidate: string): string {
  if (NOT_A_NAME.test(candidate)) return candidate;
  let name = candidate;
  for (let end = 2; end < candidate.length; end++) {
    if (AFTER_NAME.test(candidate.slice(end))) {
      name = candidate.slice(0, end);
      break;
    }
  }
  // The surname stays (it identifies no one on its own); the given name goes.
  return name[0] + "*".repeat(name.length - 1) + candidate.slice(name.length);
}

/**
 * Masks the personal data a citizen may type into a question or comment before it is stored:
 * mobile and ID-card numbers (as maskPersonalNumbers), landline numbers, e-mail addresses and a name
 * after 我叫 / 孩子叫 / 我女儿叫 / 名字是 …. Used for the question log and feedback, where a public
 * number (a 招生办 landline) masked by mistake costs little and a personal one kept costs a lot.
 */
export function maskPersonalData(text: string): string {
  return maskPersonalNumbers(text)
    .replace(LANDLINE, (m) => mask(m))
    .replace(LABELLED_LOCAL, (_m, label: string, number: string) => label + mask(number))
    .replace(EMAIL, (_m, local: string, domain: string) => `${local[0]}***@${domain}`)
    .replace(NAME_CUE, (_m, cue: string, candidate: string) => cue + maskName(candidate));
}

// A masked value: up to three kept characters, the stars, then the kept tail of a number.
const MASKED_VALUE = /[\p{L}\p{N}(（)）+＋]{0,4}\*+[\p{N}XxＸｘ)）\-－ ]*(?:@[A-Za-z0-9.-]+)?/gu;
const NUMBER_LABEL = "(?:我的|我|孩子的?|家长)?(?:联系)?(?:电话|電話|手机|手機|座机|座機|固话|邮箱|郵箱|身份证号?|身份證號?|联系方式)(?:号码|號碼)?(?:是|为|為|：|:)?\\s*";
const MASKED_CUE = new RegExp(`(?:${NAME_CUE_SOURCE}|${NUMBER_LABEL})(?=[\\p{L}\\p{N}(（+＋]{0,4}\\*)`, "gu");

/**
 * The question without its masked personal data and the words that introduced it (我叫李* →
 * nothing; 电话138******78 → nothing), for analysis that should see only what was asked: two people
 * asking the same thing with different names and numbers ask the same question.
 */
export function withoutMaskedData(masked: string): string {
  return masked.replace(MASKED_CUE, "").replace(MASKED_VALUE, " ").replace(/\s+/g, " ").trim();
}
