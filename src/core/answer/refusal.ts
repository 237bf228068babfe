import { toScript } from "../text/fold.js";
import type { Script } from "../types.js";
import type { Answer } from "./types.js";

const REFUSAL =
  "您好，您咨询的问题在现有教育政策资料中暂未找到可靠依据，无法给出准确答复。建议您咨询市教育局，或拨打12345政务服务便民热线进一步了解。";

/** The polite handbook-voice refusal: no invented content, points to official channels. */
export function refusal(script: Script): Answer {
  return { answer: toScript(REFUSAL, script), grounded: false, citations: [], mode: "extractive", script };
}
