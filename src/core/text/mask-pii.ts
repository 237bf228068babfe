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
