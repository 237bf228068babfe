import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { d1Database, type D1Binding } from "../../src/worker/d1-store.js";
import { storeContract } from "./store-contract.js";
import { localD1 } from "../local-d1.js";

// D1 through wrangler's local mode: Miniflare (wrangler's own engine) with a local D1 database
// persisted in a temporary folder — the same workerd-backed SQLite a `wrangler dev` session uses.
const persist = mkdtempSync(join(tmpdir(), "edu-store-d1-"));
const instances: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(instances.map((dispose) => dispose()));
  rmSync(persist, { recursive: true, force: true });
});
let n = 0;

storeContract("D1 (Miniflare local)", {
  async fresh() {
    const databaseId = `store-${n++}`;
    const { db: binding, dispose } = await localD1<D1Binding>(persist, databaseId);
    instances.push(dispose);
    return async () => d1Database(binding);
  },
});
