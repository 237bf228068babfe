import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { createError } from "../core/errors.js";
import { embeddingText } from "../core/search/search-index.js";
import {
  labelledIdPrefix,
  labelledVectorId,
  utf8Bytes,
  VECTORIZE_LIMITS,
  VECTORIZE_YEAR_PROPERTY,
  type VectorizeBinding,
  type VectorizeMetadata,
  type VectorizeVectorRecord,
} from "../core/search/vectorize-vector-index.js";
import type { DocumentMeta, Passage } from "../core/types.js";

/**
 * A D1 build's dense vectors in Vectorize (`npm run deploy:index -- --vectors vectorize`), recorded in
 * the build's meta row before it goes live: a Worker with `D1_VECTORS = "vectorize"` reads the
 * namespace and id scheme from here and refuses a build without it.
 */
export interface DenseVectorsRecord {
  /** "stand-in": written to the offline stand-ins (`deploy:index --local`), which no Worker can reach. */
  store: "vectorize" | "stand-in";
  /** Workers AI model the passages were embedded with; the Worker embeds questions with the same. */
  model: string;
  dimensions: number;
  /** The build id: one namespace per build, as for `upload:vectorize`. */
  namespace: string;
  /** Vector ids are `${idPrefix}${label}`: Vectorize ids are unique per index, so they carry the build. */
  idPrefix: string;
  vectors: number;
  /**
   * Whether a query filtered on a sample's year found it: false when the index has no `year` metadata
   * index (or had none when the vectors were written), or when no sample's document has a year.
   */
  yearFilter: boolean;
  uploadedAt: string;
}

/** The `D1_VECTORS` choices of the `d1` back end: the hashing features' postings in D1, or dense vectors in Vectorize. */
export type D1VectorSource = "features" | "vectorize";

export function d1VectorSource(value: string | undefined): D1VectorSource {
  const v = (value ?? "features").trim() || "features";
  if (v !== "features" && v !== "vectorize") throw createError("CONFIG_INVALID", `D1_VECTORS 须为 features 或 vectorize，收到 ${v}`);
  return v;
}

export interface BuildVectorsOptions {
  build: string;
  /** The build's passages in label order, and its documents (for each passage's year). */
  passages: readonly Passage[];
  documents: readonly DocumentMeta[];
  embeddings: EmbeddingsInterface;
  model: string;
  dimensions: number;
  vectorize: Pick<VectorizeBinding, "upsert" | "query" | "getByIds">;
  /** The offline stand-ins (recorded as such: a Worker refuses them). */
  standIn?: boolean;
  /** Vectors per upsert (≤ 1000, the binding limit). */
  batchSize?: number;
  onBatch?: (done: number, total: number) => void;
  /**
   * Vectorize applies upserts within seconds, not at once: the check re-reads up to `attempts` times,
   * `waitMs` apart, before it calls the upload incomplete.
   */
  verify?: { attempts: number; waitMs: number };
}

/**
 * Embeds every passage of a D1 build (section + text, as the Node build does) and upserts the
 * vectors under the build's namespace with ids that carry the build and the label, and the document
 * year as metadata (filterable with the `year` metadata index). Then reads back: the first, middle and
 * last passages' vectors must be in the namespace (by id), and one query filtered on a sample's year
 * must find it for `yearFilter` to be recorded true. Throws when the vectors are not there, so the D1
 * upload does not switch to the build.
 */
export async function uploadBuildVectors(options: BuildVectorsOptions): Promise<DenseVectorsRecord> {
  const { build, passages } = options;
  if (utf8Bytes(build) > VECTORIZE_LIMITS.maxNamespaceBytes) throw new Error(`命名空间 ${build} 超过 64 字节`);
  const batchSize = Math.min(options.batchSize ?? VECTORIZE_LIMITS.maxUpsertBatch, VECTORIZE_LIMITS.maxUpsertBatch);
  const idPrefix = labelledIdPrefix(build);
  const years = new Map(options.documents.map((d) => [d.id, d.year]));
  const yearOf = (p: Passage) => years.get(p.docId);
  const samples = sampleLabels(passages.length);
  const kept = new Map<number, number[]>();
  for (let start = 0; start < passages.length; start += batchSize) {
    const batch = passages.slice(start, start + batchSize);
    const vectors = await options.embeddings.embedDocuments(batch.map(embeddingText));
    const records: VectorizeVectorRecord[] = batch.map((p, i) => {
      const label = start + i;
      const values = vectors[i]!;
      if (values.length !== options.dimensions) throw new Error(`${options.model} 为段落 ${p.id} 返回 ${values.length} 维向量，应为 ${options.dimensions} 维`);
      if (samples.includes(label)) kept.set(label, values);
      const year = yearOf(p);
      const metadata: VectorizeMetadata = year !== undefined ? { [VECTORIZE_YEAR_PROPERTY]: year } : {};
      return { id: labelledVectorId(idPrefix, label), values, namespace: build, metadata };
    });
    await options.vectorize.upsert(records);
    options.onBatch?.(Math.min(start + batchSize, passages.length), passages.length);
  }

  // Read back. Each sample by id (present, in the build's namespace): Vectorize applies upserts
  // within seconds, so absent ids are asked again. Then one query filtered on a sample's year must
  // find it: only then do the Workers send years as a metadata filter.
  const verify = options.verify ?? { attempts: 1, waitMs: 0 };
  const sampleIds = samples.map((label) => labelledVectorId(idPrefix, label));
  let missing = sampleIds;
  for (let attempt = 0; missing.length && attempt < verify.attempts; attempt++) {
    if (attempt) await new Promise((r) => setTimeout(r, verify.waitMs));
    const found = await options.vectorize.getByIds(missing);
    const here = new Set(found.filter((v) => v.namespace === build).map((v) => v.id));
    missing = missing.filter((id) => !here.has(id));
  }
  if (missing.length) throw new Error(`Vectorize 命名空间 ${build} 中找不到刚上传的向量 ${missing.join("、")}；正在服务的构建未切换`);
  let yearFilter = false;
  const dated = samples.find((label) => yearOf(passages[label]!) !== undefined);
  if (dated !== undefined) {
    const id = labelledVectorId(idPrefix, dated);
    const filter = { [VECTORIZE_YEAR_PROPERTY]: { $eq: yearOf(passages[dated]!)! } };
    for (let attempt = 0; !yearFilter && attempt < verify.attempts; attempt++) {
      if (attempt) await new Promise((r) => setTimeout(r, verify.waitMs));
      const { matches } = await options.vectorize.query(kept.get(dated)!, { topK: 20, namespace: build, returnMetadata: "none", returnValues: false, filter });
      yearFilter = matches.some((m) => m.id === id);
    }
  }
  return {
    store: options.standIn ? "stand-in" : "vectorize",
    model: options.model,
    dimensions: options.dimensions,
    namespace: build,
    idPrefix,
    vectors: passages.length,
    yearFilter,
    uploadedAt: new Date().toISOString(),
  };
}

/** Deletes a build's vectors (ids derive from the record), in batches: Vectorize cannot delete a namespace. */
export async function deleteBuildVectors(record: DenseVectorsRecord, vectorize: Pick<VectorizeBinding, "deleteByIds">, batchSize: number = VECTORIZE_LIMITS.maxUpsertBatch): Promise<number> {
  for (let start = 0; start < record.vectors; start += batchSize) {
    const ids = Array.from({ length: Math.min(batchSize, record.vectors - start) }, (_, i) => labelledVectorId(record.idPrefix, start + i));
    await vectorize.deleteByIds(ids);
  }
  return record.vectors;
}

/** The first, middle and last labels (fewer for tiny builds): what the read-back checks. */
function sampleLabels(n: number): number[] {
  return [...new Set([0, Math.floor(n / 2), n - 1])].filter((l) => l >= 0 && l < n);
}
