import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { buildWebAssets } from "../src/node/web-assets.js";

/** `npm run build:web`: bundles the widget and console into dist/web and prints their sizes. */
const { outDir, files } = await buildWebAssets();
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(`已构建网页资源：${relative(process.cwd(), outDir) || outDir}`);
for (const [name, bytes] of Object.entries(files)) {
  const gzipped = gzipSync(await readFile(join(outDir, name)), { level: 9 }).length;
  console.log(`  ${name.padEnd(20)} ${kb(bytes).padStart(9)}  gzip ${kb(gzipped).padStart(8)}`);
}
