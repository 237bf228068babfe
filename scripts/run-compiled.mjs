// `npm start`, `npm run ingest`, `npm run search`, `npm run ask`: run a CLI from dist/ (compiled JavaScript, no tsx
// at run time), building dist/ first when the sources changed — in this one process, so a command
// pays one Node start-up. Usage: node scripts/run-compiled.mjs <cli name> [arguments…]
/* global process, console */
import { existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildIfStale } from "./build-if-stale.mjs";

const [name, ...args] = process.argv.slice(2);
if (!name || !/^[a-z-]+$/.test(name)) {
  console.error("用法：node scripts/run-compiled.mjs <start|ingest|search|ask> [参数…]");
  process.exit(2);
}
await buildIfStale();
const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
// The command's bundle (dist/bundle/, see build-if-stale.mjs: a few files instead of hundreds of
// modules), or its compiled module when there is none.
const bundled = join(dist, "bundle", `${name}.js`);
const entry = existsSync(bundled) ? bundled : join(dist, "node", "cli", `${name}.js`);
// The CLI reads its arguments from process.argv.slice(2), as when run directly.
process.argv = [process.argv[0], entry, ...args];
await import(pathToFileURL(entry).href);
