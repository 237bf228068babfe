/**
 * A real server process for the durability tests: the curated and report sub-apps on the SQLite
 * store in DATA_DIR, on 127.0.0.1:PORT (0 = any free port), plus POST /test/question, which logs a
 * question through the store's group commit and answers 201 once it is committed. Prints
 * `LISTENING <port>` when ready. Run: DATA_DIR=… node --import tsx test/store/serve-store.ts
 */
import { serve } from "@hono/node-server";
import { openSqliteStore } from "../../src/node/store/open-sqlite-store.js";
import { staffApp } from "./fixtures.js";

const dataDir = process.env.DATA_DIR;
if (!dataDir) throw new Error("DATA_DIR is required");
const { store } = await openSqliteStore(dataDir);
const app = staffApp(store);
app.post("/test/question", async (c) => {
  const { question } = (await c.req.json()) as { question: string };
  await store.logQuestion({ time: new Date().toISOString(), channel: "api", question, mode: "refused", grounded: false, topPassages: [] });
  return c.json({ ok: true }, 201);
});
const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: Number(process.env.PORT ?? 0) }, (info) => {
  process.stdout.write(`LISTENING ${info.port}\n`);
});
process.on("SIGTERM", () => {
  server.close();
  void store.close().then(() => process.exit(0));
});
