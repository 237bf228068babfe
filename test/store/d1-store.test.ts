import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { afterAll } from "vitest";
import { d1Database, type D1Binding } from "../../src/worker/d1-store.js";
import { storeContract } from "./store-contract.js";

// D1 through wrangler's local mode: Miniflare (wrangler's own engine) with a local D1 database
// persisted in a temporary folder — the same workerd-backed SQLite a `wrangler dev` session uses.
const persist = mkdtempSync(join(tmpdir(), "edu-store-d1-"));
const instances: Miniflare[] = [];
afterAll(async () => {
  await Promise.all(instances.map((mf) => mf.dispose()));
  rmSync(persist, { recursive: true, force: true });
});
let n = 0;

storeContract("D1 (Miniflare local)", {
  async fresh() {
    const databaseId = `store-${n++}`;
    const mf = new Miniflare({ modules: true, script: "export default { fetch() { return new Response(null, { status: 204 }); } };", d1Databases: { DB: databaseId }, d1Persist: persist });
    instances.push(mf);
    const binding = (await mf.getD1Database("DB")) as unknown as D1Binding;
    return async () => d1Database(binding);
  },
});
