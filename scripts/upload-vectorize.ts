import { readFileSync } from "node:fs";
import { join } from "node:path";
import { JiebaLexicon } from "../src/core/search/jieba-lexicon.js";
import type { IndexManifest } from "../src/core/search/search-index.js";
import { VectorizeVectorIndex, type VectorizeBinding } from "../src/core/search/vectorize-vector-index.js";
import { aiOverHttp, cloudflareCredentials, vectorizeOverHttp } from "./cloudflare-api.js";
import { BGE_M3, WorkersAiEmbeddings, type AiBinding } from "../src/core/search/workers-ai-embeddings.js";
import type { DocumentMeta, Passage } from "../src/core/types.js";
import { VectorizeStandIn } from "../src/worker/testing/vectorize-stand-in.js";
import { localBgeM3StandIn } from "../src/worker/testing/workers-ai-stand-in.js";
import { uploadToVectorize } from "../src/worker/vectorize-upload.js";
import { parseArgs, runCli } from "../src/node/cli/common.js";
import { DEFAULT_WORKER_ASSETS } from "../src/node/worker-assets.js";

/**
 * `tsx scripts/upload-vectorize.ts [--dry-run] [--index=NAME] [--assets=DIR]`: embeds the passages
 * of the Worker index built with `--backend=vectorize` with bge-m3 (Workers AI) and upserts them
 * into Vectorize in batches of 1000 under the build's namespace. Needs CLOUDFLARE_ACCOUNT_ID and
 * CLOUDFLARE_API_TOKEN (Workers AI + Vectorize edit). --dry-run uses the offline binding stand-ins.
 */
runCli(async () => {
  const { flags } = parseArgs(process.argv.slice(2));
  const assets = typeof flags.get("assets") === "string" ? (flags.get("assets") as string) : DEFAULT_WORKER_ASSETS;
  const indexName = typeof flags.get("index") === "string" ? (flags.get("index") as string) : "edu-policy-passages";
  const dir = join(assets, "index");
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as IndexManifest;
  if (manifest.vectorIndex.id !== VectorizeVectorIndex.ID) {
    throw new Error(`${dir} 是 ${manifest.vectorIndex.id} 索引：请先运行 npx tsx scripts/build-worker-index.ts --backend=vectorize`);
  }
  const passages = JSON.parse(readFileSync(join(dir, "passages.json"), "utf8")) as Passage[];
  const documents = JSON.parse(readFileSync(join(dir, "documents.json"), "utf8")) as DocumentMeta[];

  let ai: AiBinding;
  let vectorize: Pick<VectorizeBinding, "upsert" | "describe">;
  if (flags.has("dry-run")) {
    // Offline: the stand-ins check every request against the documented shapes and limits.
    const lexicon = JiebaLexicon.decode(readFileSync(join(dir, "lexicon.bin")));
    ai = localBgeM3StandIn(lexicon);
    vectorize = new VectorizeStandIn(BGE_M3.dimensions);
  } else {
    const { account, token } = cloudflareCredentials();
    ai = aiOverHttp(account, token);
    vectorize = vectorizeOverHttp(account, token, indexName);
  }
  const info = await vectorize.describe();
  if (info.dimensions !== BGE_M3.dimensions) throw new Error(`Vectorize 索引 ${indexName} 为 ${info.dimensions} 维，${BGE_M3.model} 需要 ${BGE_M3.dimensions} 维`);

  const started = performance.now();
  const result = await uploadToVectorize({
    passages,
    documents,
    namespace: manifest.buildId,
    embeddings: new WorkersAiEmbeddings({ ai }),
    vectorize,
    onBatch: (done, total) => console.error(`已上传 ${done}/${total}`),
  });
  const after = await vectorize.describe();
  console.error(
    `${flags.has("dry-run") ? "[dry-run] " : ""}${result.vectors} 个向量，${result.batches} 批，命名空间 ${manifest.buildId}，用时 ${((performance.now() - started) / 1000).toFixed(1)} 秒；索引现有 ${after.vectorCount} 个向量` +
      (flags.has("dry-run") ? "" : "（Vectorize 异步写入，几秒后可查询）"),
  );
  return 0;
});
