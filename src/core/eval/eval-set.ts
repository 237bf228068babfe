import { z } from "zod";
import { foldForMatching } from "../text/fold.js";
import { removePinyinGlosses } from "../text/clean/pinyin-gloss.js";
import type { Passage } from "../types.js";

/** One line of an evaluation set (the format of shared/eval/dev.jsonl). */
export const evalItemSchema = z.object({
  id: z.string(),
  question: z.string().min(1),
  kind: z.string(),
  evidence: z.array(z.string()).default([]),
  figures: z.array(z.string()).default([]),
  terms: z.array(z.string()).optional(),
  /** Earlier turns of the conversation, for follow-up questions. */
  history: z
    .array(
      z.union([
        z.object({ role: z.enum(["user", "assistant"]), content: z.string() }),
        // An earlier user question written as a bare string.
        z.string().transform((content) => ({ role: "user" as const, content })),
      ]),
    )
    .optional(),
  lang: z.enum(["zh-Hans", "zh-Hant", "en"]).optional(),
  tags: z.array(z.string()).optional(),
});

export type EvalItem = z.infer<typeof evalItemSchema>;

export function parseEvalSet(jsonl: string): EvalItem[] {
  return jsonl
    .split("\n")
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => line)
    .map(({ line, n }) => {
      const parsed = evalItemSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`第 ${n} 行格式错误：${parsed.error.issues[0]?.message ?? ""}`);
      return parsed.data;
    });
}

/**
 * Folded, without white space and without pinyin glosses: how evidence, figures and terms are
 * compared with a text. A set's writer copies evidence from the source file; ingest removes the
 * glosses some web converters glue to characters (學(xué) → 學), so the copy is cleaned the same way.
 */
export function squeezeForMatching(text: string): string {
  return foldForMatching(removePinyinGlosses(text).text).replace(/\s+/g, "");
}

/**
 * 1-based rank of the first passage containing any evidence string, or null. Compared folded and
 * without white space: a PDF's text items come with spaces of their own (中山二路 590 号), which a
 * set's writer copies and the ingest joins, or the other way round.
 */
export function evidenceRank(passages: Passage[], evidence: string[]): number | null {
  const needles = evidence.map(squeezeForMatching);
  const index = passages.findIndex((p) => {
    const text = p.folded.replace(/\s+/g, "");
    if (needles.some((n) => text.includes(n))) return true;
    // A table row holds its cells under their column names (电话：62410042｜营业时间：9:00~20:00); a
    // writer who copied the PDF's line copied the cells side by side (62410042 9:00~20:00).
    const cells = p.kind === "table-row" && p.fields ? squeezeForMatching(Object.values(p.fields).join("")) : "";
    return cells !== "" && needles.some((n) => cells.includes(n));
  });
  return index < 0 ? null : index + 1;
}

export interface RetrievalScores {
  questions: number;
  recallAt5: number;
  mrr: number;
}

export function retrievalScores(ranks: Array<number | null>, depth = 10): RetrievalScores {
  const n = ranks.length || 1;
  return {
    questions: ranks.length,
    recallAt5: ranks.filter((r) => r !== null && r <= 5).length / n,
    mrr: ranks.reduce<number>((s, r) => s + (r !== null && r <= depth ? 1 / r : 0), 0) / n,
  };
}
