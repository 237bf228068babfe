import type { BureauProfile } from "../knowledge/profile.js";
import { NO_ANSWER } from "../question/analyze.js";
import { toScript } from "../text/fold.js";
import type { Script } from "../types.js";
import type { Answer } from "./types.js";

/** Where the profile sends a citizen: the bureau and its hotline. */
export function referral(profile: Pick<BureauProfile, "bureau" | "hotline">, language: "zh" | "en" = "zh"): string {
  return language === "en"
    ? `Please contact ${profile.bureau.name} or call the ${profile.hotline.number} hotline (${profile.hotline.label}).`
    : `建议您咨询${profile.bureau.name}，或拨打${profile.hotline.label}进一步了解。`;
}

/** The polite handbook-voice refusal: no invented content, points to the profile's official channels. */
export function refusal(script: Script, profile: Pick<BureauProfile, "bureau" | "hotline">, language: "zh" | "en" = "zh", unknown?: string): Answer {
  // `unknown`: the word of the question the documents never use (保育费), named so the citizen knows what is missing.
  const text =
    language === "en"
      ? `Sorry, the bureau's published education-policy documents give no reliable answer to this question${unknown ? ` (they do not mention ${unknown})` : ""}. ${referral(profile, "en")}`
      : toScript(`您好，${unknown ? `现有教育政策资料中没有关于“${unknown}”的内容，` : "您咨询的问题在现有教育政策资料中暂未找到可靠依据，"}${NO_ANSWER}。${referral(profile)}`, script);
  return { answer: text, grounded: false, citations: [], mode: "extractive", script };
}
