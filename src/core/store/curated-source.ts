import type { CuratedCandidate, CuratedSource } from "../answer/answerer.js";
import { curatedReviewLine } from "./curated-match.js";
import { localDay } from "./date-range.js";
import type { AssistantStore } from "./types.js";

/**
 * The chat path's view of the live curated answers: read again from the store as soon as
 * `generation()` changes (this server wrote one), and at least every `ttlMs` (another process
 * wrote one); past-review answers are left out by the store.
 */
export function liveCuratedSource(
  store: Pick<AssistantStore, "liveCurated">,
  options: { ttlMs?: number; now?: () => Date; generation?: () => string } = {},
): CuratedSource {
  const ttl = options.ttlMs ?? 1000;
  const now = options.now ?? (() => new Date());
  const generation = options.generation ?? (() => "");
  let cached: { at: number; generation: string; answers: Promise<CuratedCandidate[]> } | undefined;
  return () => {
    const at = now().getTime();
    const current = generation();
    if (!cached || cached.generation !== current || at - cached.at >= ttl) {
      const answers = store.liveCurated(localDay(now())).then(({ live }) =>
        live.map((v) => ({ id: v.id, version: v.version, questions: v.questions, answer: v.answer, citations: v.citations, reviewLine: curatedReviewLine(v) })),
      );
      // A failed read is not kept: the next question tries again (and answers without curated ones now).
      answers.catch(() => (cached = undefined));
      cached = { at, generation: current, answers };
    }
    return cached.answers.catch(() => []);
  };
}
