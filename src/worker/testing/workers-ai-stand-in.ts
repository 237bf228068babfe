import { HashingEmbeddings } from "../../core/search/hashing-embeddings.js";
import type { JiebaLexicon } from "../../core/search/jieba-lexicon.js";
import { createJsSegmenter } from "../../core/search/js-segmenter.js";
import { createTokenizer } from "../../core/search/tokenizer.js";
import { BGE_M3, WORKERS_AI_MAX_BATCH, type AiBinding } from "../../core/search/workers-ai-embeddings.js";

/**
 * A stand-in for the Workers AI binding serving `@cf/baai/bge-m3` offline. Requests are checked
 * against the model's documented input (`text`: a non-empty string or array of them; at most 100
 * per call here) and answered with its documented output `{ shape: [n, 1024], data, pooling }`.
 * The vectors come from a deterministic local embedder, not the model: retrieval quality through
 * the stand-in measures the plumbing, not bge-m3.
 */
export class WorkersAiStandIn implements AiBinding {
  readonly calls: Array<{ model: string; texts: number }> = [];

  constructor(
    private readonly embed: (text: string) => Float32Array | number[],
    private readonly dimensions: number = BGE_M3.dimensions,
  ) {}

  async run(model: string, inputs: Record<string, unknown>): Promise<unknown> {
    if (model !== BGE_M3.model) throw new Error(`5007: No such model ${model} or task`);
    const text = inputs.text;
    const texts = typeof text === "string" ? [text] : Array.isArray(text) ? text : undefined;
    if (!texts || !texts.length) throw new Error("5006: Error: required properties at '/' are 'text'");
    if (texts.length > WORKERS_AI_MAX_BATCH) throw new Error(`5006: Error: '/text' must NOT have more than ${WORKERS_AI_MAX_BATCH} items`);
    if (texts.some((t) => typeof t !== "string" || t.length < 1)) throw new Error("5006: Error: '/text/*' must NOT have fewer than 1 characters");
    this.calls.push({ model, texts: texts.length });
    const data = (texts as string[]).map((t) => {
      const v = Array.from(this.embed(t));
      if (v.length !== this.dimensions) throw new Error(`stand-in embedder returned ${v.length} dimensions, expected ${this.dimensions}`);
      return v;
    });
    return { shape: [data.length, this.dimensions], data, pooling: "cls" };
  }
}

/**
 * The stand-in offline uploads, tests and benches use: bge-m3's shape answered by the hashing model's
 * 1024-d projection over a build's lexicon (the tokens the Worker's segmenter makes).
 */
export function localBgeM3StandIn(lexicon: JiebaLexicon): WorkersAiStandIn {
  const local = new HashingEmbeddings({ tokenize: createTokenizer({ segmenter: createJsSegmenter({ lexicon }) }), idf: (w) => lexicon.idf(w), dimensions: BGE_M3.dimensions });
  return new WorkersAiStandIn((text) => local.embed(text));
}
