/** Chinese numerals as dates, ages and numbered places write them (二〇一九年, 四月十五日, 石化十五村). */

/** The value of each numeral digit, 〇 and its look-alikes (○, Ｏ) included. */
export const HAN_DIGIT_VALUES: Readonly<Record<string, number>> = { 〇: 0, 零: 0, "○": 0, Ｏ: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/**
 * A number written in Chinese numerals: 十 = 10, 十二 = 12, 二十 = 20, 二十一 = 21; without 十, the
 * digits read in turn (二〇一九 = 2019). Characters it does not know count as 0 (or 1 before 十).
 */
export function hanNumber(text: string): number {
  if (!text.includes("十")) return Number([...text].map((c) => HAN_DIGIT_VALUES[c] ?? 0).join(""));
  const [tens, ones] = text.split("十");
  return (tens ? HAN_DIGIT_VALUES[tens] ?? 1 : 1) * 10 + (ones ? HAN_DIGIT_VALUES[ones] ?? 0 : 0);
}
