import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { openSqliteDatabase } from "../../src/node/store/sqlite-database.js";
import { storeContract } from "./store-contract.js";

const root = mkdtempSync(join(tmpdir(), "edu-store-sqlite-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

storeContract("SQLite (better-sqlite3)", {
  async fresh() {
    const file = join(root, `store-${n++}.sqlite`);
    return async () => openSqliteDatabase(file);
  },
});
