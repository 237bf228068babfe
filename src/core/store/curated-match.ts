import { localDay, BUREAU_UTC_OFFSET_MINUTES } from "./date-range.js";
import type { CuratedVersion } from "./types.js";

/** The line a curated answer is served with: 本答案经人工审核（2026-12-04）, the day its version was approved. */
export function curatedReviewLine(answer: CuratedVersion, offsetMinutes = BUREAU_UTC_OFFSET_MINUTES): string {
  return `本答案经人工审核（${localDay(new Date(answer.time), offsetMinutes)}）`;
}
