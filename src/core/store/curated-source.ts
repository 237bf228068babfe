import type { CuratedCandidate, CuratedSource } from "../answer/answerer.js";
import { curatedReviewLine } from "./curated-match.js";
import { localDay } from "./date-range.js";
import type { AssistantStore } from "./types.js";

/**
 * The chat path's view of the live curated answers: read from the store at most once per `ttlMs`
 * (an edit is served within that time; a revert too), past-review answers left out by the store.
 */
export function liveCuratedSource(store: Pick<AssistantStore, "liveCurated">, options: { ttlMs?: number; now?: () => Date } = {}): CuratedSource {
  const ttl = options.ttlMs ?? 1000;
  const now = options.now ?? (() => new Date());
  let cached: { at: number; answers: Promise<CuratedCandidate[]> } | undefined;
  return () => {
    const at = now().getTime();
    if (!cached || at - cached.at >= ttl) {
      const answers = store.liveCurated(localDay(now())).then(({ live }) =>
        live.map((v) => ({ id: v.id, version: v.version, questions: v.questions, answer: v.answer, citations: v.citations, reviewLine: curatedReviewLine(v) })),
      );
      // A failed read is not kept: the next question tries again (and answers without curated ones now).
      answers.catch(() => (cached = undefined));
      cached = { at, answers };
    }
    return cached.answers.catch(() => []);
  };
}
