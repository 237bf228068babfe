import { Embeddings } from "@langchain/core/embeddings";
import { OpenAIEmbeddings } from "@langchain/openai";
import { createError } from "../errors.js";

export interface OpenAICompatibleEmbeddingsOptions {
  baseURL: string;
  model: string;
  apiKey?: string;
  /** Requested output size; only sent when set (many servers reject the parameter). */
  dimensions?: number;
  timeoutMs?: number;
  batchSize?: number;
}

/**
 * Any OpenAI-compatible /v1/embeddings endpoint (bge-m3 behind Ollama, vLLM or TEI, or a hosted
 * service). Vectors are L2-normalised so cosine search behaves the same for every model.
 * Call `probe()` once before use when the dimensions are not configured.
 */
export class OpenAICompatibleEmbeddings extends Embeddings {
  readonly id: string;
  dimensions: number;
  private readonly inner: OpenAIEmbeddings;

  constructor(options: OpenAICompatibleEmbeddingsOptions) {
    super({ maxRetries: 0 });
    this.id = `openai-compatible:${options.model}`;
    this.dimensions = options.dimensions ?? 0;
    this.inner = new OpenAIEmbeddings({
      model: options.model,
      apiKey: options.apiKey ?? "not-needed",
      configuration: { baseURL: options.baseURL },
      encodingFormat: "float",
      batchSize: options.batchSize ?? 64,
      timeout: options.timeoutMs ?? 30000,
      maxRetries: 2,
      ...(options.dimensions ? { dimensions: options.dimensions } : {}),
    });
  }

  /** Learns the vector size from the server. */
  async probe(): Promise<number> {
    if (!this.dimensions) this.dimensions = (await this.embedQuery("教育")).length;
    return this.dimensions;
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    try {
      return (await this.inner.embedDocuments(documents)).map(normalize);
    } catch (cause) {
      throw createError("EMBEDDINGS_FAILED", describe(cause), { cause });
    }
  }

  async embedQuery(document: string): Promise<number[]> {
    try {
      return normalize(await this.inner.embedQuery(document));
    } catch (cause) {
      throw createError("EMBEDDINGS_FAILED", describe(cause), { cause });
    }
  }
}

function normalize(vector: number[]): number[] {
  const norm = Math.sqrt(vector.reduce((s, v) => s + v * v, 0)) || 1;
  return vector.map((v) => v / norm);
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Only the first line: provider errors can be long and may echo request details.
  return message.split("\n")[0]!.slice(0, 200);
}
