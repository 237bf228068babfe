import { parseArgs, runCli, configFromEnvironment } from "../src/node/cli/common.js";
import { ensureWebAssets } from "../src/node/web-assets.js";
import { buildWorkerAssets, DEFAULT_WORKER_ASSETS } from "../src/node/worker-assets.js";

/**
 * `tsx scripts/build-worker-index.ts [--backend bundled|vectorize] [--out DIR] [--force]`: corpus/ →
 * the Worker's static assets (index built with the pure-JS segmenter, packed lexicon, pages).
 * wrangler.toml runs it as the custom build of `wrangler dev` and `wrangler deploy`.
 */
runCli(async () => {
  const { flags } = parseArgs(process.argv.slice(2));
  const backend = (flags.get("backend") ?? "bundled") as string;
  if (backend !== "bundled" && backend !== "vectorize") throw new Error(`--backend 须为 bundled 或 vectorize，收到 ${backend}`);
  const config = configFromEnvironment();
  const webDir = await ensureWebAssets("dist/web").catch((error: unknown) => {
    console.error(`网页与挂件构建失败，Worker 将不提供页面：${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    return undefined;
  });
  const result = await buildWorkerAssets({
    corpusDir: config.CORPUS_DIR,
    outDir: typeof flags.get("out") === "string" ? (flags.get("out") as string) : DEFAULT_WORKER_ASSETS,
    backend,
    force: flags.has("force"),
    ...(webDir ? { webDir } : {}),
    log: (message) => console.error(message),
  });
  const total = Object.values(result.files).reduce((a, b) => a + b, 0);
  console.error(`索引资源 ${(total / 1e6).toFixed(2)} MB：${Object.entries(result.files).map(([f, n]) => `${f} ${(n / 1e6).toFixed(2)} MB`).join("，")}`);
  return 0;
});
