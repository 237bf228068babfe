import * as OpenCC from "opencc-js";
import type { Script } from "../types.js";

// Phrase-aware converters. `tw` (not `twp`) keeps mainland vocabulary: only the script changes,
// so 运行 stays 運行 instead of becoming 執行.
const toSimplified = OpenCC.Converter({ from: "tw", to: "cn" });
const toTraditional = OpenCC.Converter({ from: "cn", to: "tw" });

/** Traditional → Simplified (phrase-aware OpenCC). */
export function foldToSimplified(text: string): string {
  return toSimplified(text);
}

/** Simplified → Traditional (phrase-aware OpenCC, mainland vocabulary kept). */
export function convertToTraditional(text: string): string {
  return toTraditional(text);
}

/** Convert text into the given script. */
export function toScript(text: string, script: Script): string {
  return script === "Hant" ? toTraditional(text) : toSimplified(text);
}

/**
 * The matching form of any text: NFKC (full-width letters, digits and punctuation become
 * half-width: ３ → 3, ＲＣＥＰ → RCEP, ，→ ,), Simplified script, lower case, collapsed spaces.
 * Applied identically at index time and at query time.
 */
export function foldForMatching(text: string): string {
  return toSimplified(text.normalize("NFKC")).toLowerCase().replace(/[ \t\u3000]+/g, " ");
}

/**
 * Which script a text is written in: counts characters that change under each conversion.
 * Ties (no script-specific characters at all) default to Simplified.
 */
export function detectScript(text: string): Script {
  const han = text.replace(/[^\u3400-\u9fff]/g, "");
  if (!han) return "Hans";
  const simplified = toSimplified(han);
  const traditional = toTraditional(han);
  let hant = 0;
  let hans = 0;
  for (let i = 0; i < han.length; i++) {
    if (simplified[i] !== han[i]) hant++;
    if (traditional[i] !== han[i]) hans++;
  }
  return hant > hans ? "Hant" : "Hans";
}
