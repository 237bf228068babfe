import { Embeddings, type EmbeddingsParams } from "@langchain/core/embeddings";
import { createError } from "../errors.js";

/** The subset of the Workers `Ai` binding this code uses. */
export interface AiBinding {
  run(model: string, inputs: Record<string, unknown>): Promise<unknown>;
}

export const BGE_M3 = { model: "@cf/baai/bge-m3", dimensions: 1024 } as const;

/**
 * Texts per call. bge-m3 takes `text: string | string[]` (each at least one character) within a
 * 60,000-token context window; the other bge models cap the array at 100 items, and so do we.
 */
export const WORKERS_AI_MAX_BATCH = 100;

export interface WorkersAiEmbeddingsOptions extends EmbeddingsParams {
  ai: AiBinding;
  model?: string;
  dimensions?: number;
}

/**
 * Embeddings from Workers AI (`env.AI.run("@cf/baai/bge-m3", { text })` → `{ shape, data }`),
 * batched. A response of the wrong shape is an error, never a silently short vector.
 */
export class WorkersAiEmbeddings extends Embeddings {
  readonly id: string;
  readonly dimensions: number;
  private readonly ai: AiBinding;
  private readonly model: string;

  constructor(options: WorkersAiEmbeddingsOptions) {
    super(options);
    this.ai = options.ai;
    this.model = options.model ?? BGE_M3.model;
    this.dimensions = options.dimensions ?? BGE_M3.dimensions;
    this.id = `workers-ai:${this.model}`;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let start = 0; start < texts.length; start += WORKERS_AI_MAX_BATCH) {
      out.push(...(await this.run(texts.slice(start, start + WORKERS_AI_MAX_BATCH))));
    }
    return out;
  }

  async embedQuery(text: string): Promise<number[]> {
    return (await this.run([text]))[0]!;
  }

  private async run(texts: string[]): Promise<number[][]> {
    // bge-m3 refuses empty strings; a blank passage still needs a vector.
    const text = texts.map((t) => (t.trim() ? t : "。"));
    let response: unknown;
    try {
      response = await this.ai.run(this.model, { text });
    } catch (cause) {
      throw createError("EMBEDDINGS_FAILED", `${this.model}：${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    }
    const { shape, data } = (response ?? {}) as { shape?: unknown; data?: unknown };
    const rows = Array.isArray(data) ? (data as unknown[]) : [];
    const ok =
      rows.length === texts.length &&
      rows.every((row) => Array.isArray(row) && row.length === this.dimensions) &&
      (!Array.isArray(shape) || (shape[0] === texts.length && shape[1] === this.dimensions));
    if (!ok) throw createError("EMBEDDINGS_FAILED", `${this.model} 返回的形状不符（应为 ${texts.length}×${this.dimensions}，收到 ${JSON.stringify(shape ?? null)}）`);
    return rows as number[][];
  }
}
