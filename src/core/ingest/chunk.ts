import { foldForMatching } from "../text/fold.js";
import { findRedactions } from "../text/clean/redaction.js";
import { splitSentences } from "../text/sentences.js";
import type { Passage, PassageKind } from "../types.js";
import type { Block } from "./structure.js";

export interface ChunkOptions {
  /** Soft ceiling: sentences are packed until the next one would pass it. */
  maxChars: number;
  /** A sentence longer than this is split at semicolons (never inside a clause). */
  hardMaxChars: number;
  /** Chunks shorter than this merge into a neighbour under the same heading. */
  minChars: number;
}

export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { maxChars: 320, hardMaxChars: 600, minChars: 60 };

interface Draft {
  kind: PassageKind;
  headingPath: string[];
  text: string;
  fields?: Record<string, string>;
  question?: string;
  atomic?: boolean;
}

function packSentences(text: string, options: ChunkOptions): string[] {
  if (text.length <= options.maxChars) return [text.trim()];
  const pieces = splitSentences(text).flatMap((sentence) =>
    sentence.length > options.hardMaxChars ? splitSentences(sentence, { semicolons: true }) : [sentence],
  );
  const chunks: string[] = [];
  let current = "";
  for (const piece of pieces) {
    if (current && current.length + piece.length > options.maxChars) {
      chunks.push(current);
      current = "";
    }
    current += piece;
  }
  if (current.trim()) chunks.push(current);
  return chunks.map((c) => c.trim());
}

const samePath = (a: string[], b: string[]) => a.length === b.length && a.every((h, i) => h === b[i]);

function mergeTiny(drafts: Draft[], options: ChunkOptions): Draft[] {
  const out: Draft[] = [];
  for (const draft of drafts) {
    const previous = out[out.length - 1];
    const tiny = (d: Draft) => d.text.length < options.minChars;
    if (
      previous &&
      previous.kind === "paragraph" &&
      draft.kind === "paragraph" &&
      !previous.atomic &&
      !draft.atomic &&
      samePath(previous.headingPath, draft.headingPath) &&
      (tiny(draft) || tiny(previous)) &&
      previous.text.length + draft.text.length <= options.hardMaxChars
    ) {
      previous.text = `${previous.text}\n${draft.text}`;
    } else {
      out.push({ ...draft });
    }
  }
  return out;
}

/**
 * Blocks → passages. Paragraphs are packed sentence by sentence up to `maxChars` (a figure or a
 * sentence is never cut, since cuts fall only after a sentence end); table rows stay one passage
 * each; a Q&A pair stays whole up to its own larger limit (its parts all keep the question in their
 * heading path); a 条 or a pair never merges with a neighbour; other tiny fragments merge into the
 * neighbour under the same heading.
 */
export function chunkBlocks(docId: string, blocks: Block[], options: ChunkOptions = DEFAULT_CHUNK_OPTIONS): Passage[] {
  const drafts: Draft[] = [];
  for (const block of blocks) {
    const limits = block.maxChars ? { ...options, maxChars: block.maxChars, hardMaxChars: Math.max(options.hardMaxChars, block.maxChars) } : options;
    const parts = packSentences(block.text, limits);
    parts.forEach((part, i) => {
      const text = i > 0 && block.carry ? `${block.carry}｜${part}` : part;
      drafts.push({
        kind: block.kind,
        headingPath: block.headingPath,
        text,
        ...(block.fields ? { fields: block.fields } : {}),
        ...(block.question !== undefined ? { question: block.question } : {}),
        ...(block.atomic ? { atomic: true } : {}),
      });
    });
  }
  return mergeTiny(drafts, options).map((draft, ordinal) => toPassage(docId, ordinal, draft));
}

export function passageId(docId: string, ordinal: number): string {
  return `${docId}#p${String(ordinal).padStart(3, "0")}`;
}

function toPassage(docId: string, ordinal: number, draft: Draft): Passage {
  return {
    id: passageId(docId, ordinal),
    docId,
    ordinal,
    kind: draft.kind,
    headingPath: draft.headingPath,
    text: draft.text,
    folded: foldForMatching(draft.text),
    redactions: findRedactions(draft.text),
    ...(draft.fields ? { fields: draft.fields } : {}),
    ...(draft.question !== undefined ? { question: draft.question } : {}),
  };
}

/** The passage that keeps a document's header metadata (发文编号 …) searchable. */
export function documentInfoPassage(docId: string, ordinal: number, title: string, titleLines: string[], infoLines: string[]): Passage | null {
  if (!infoLines.length) return null;
  const text = [...titleLines, ...infoLines].join("\n");
  return toPassage(docId, ordinal, { kind: "document-info", headingPath: [title, "文件信息"], text });
}
