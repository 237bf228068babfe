/**
 * Removes pinyin glosses glued to characters by some web converters: 細(xì)作 → 細作.
 * A gloss is a parenthesised lower-case pinyin syllable (tone marks or ü allowed) directly after a
 * Han character; parenthesised Chinese text or upper-case abbreviations such as (RCEP) are kept.
 */
const GLOSS = /([\u3400-\u9fff])[(（]([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6})[)）]/g;

export interface GlossResult {
  text: string;
  removed: number;
}

export function removePinyinGlosses(text: string): GlossResult {
  let removed = 0;
  const cleaned = text.replace(GLOSS, (_match, han: string) => {
    removed++;
    return han;
  });
  return { text: cleaned, removed };
}
