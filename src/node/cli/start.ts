import { serve } from "@hono/node-server";
import { createApp, type ServingState } from "../../core/http/app.js";
import { createAnswerer } from "../answerer.js";
import { openIndex } from "../open-index.js";
import { configFromEnvironment, runCli } from "./common.js";

/** `npm start`: build the index if missing or stale, load it, serve the API. */
runCli(async () => {
  const config = configFromEnvironment();
  const log = (event: string, fields: Record<string, unknown>) => console.log(JSON.stringify({ time: new Date().toISOString(), event, ...fields }));
  const opened = await openIndex(config, { buildIfNeeded: true, log: (message) => log("index", { message }) });
  let state: ServingState | undefined = { index: opened.index, retriever: opened.retriever, answerer: createAnswerer(opened, config, log) };
  const app = createApp({ state: () => state, log });
  const server = serve({ fetch: app.fetch, hostname: config.HOST, port: config.PORT }, (info) => {
    log("listening", { message: `教育政策问答服务已启动：http://${config.HOST}:${info.port}`, passages: opened.index.passages.length });
  });
  const shutdown = () => {
    state = undefined;
    server.close(() => process.exit(0));
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
  await new Promise(() => {});
});
