import { availableParallelism } from "node:os";
import { startServer } from "../server.js";
import { configFromEnvironment, runCli } from "./common.js";

/** `npm start`: build the index if missing or stale, load it, serve the API, the widget and the pages. */
runCli(async () => {
  const fromEnvironment = configFromEnvironment();
  // Unset, WEB_CONCURRENCY means every core: one answer thread each.
  const config = { ...fromEnvironment, WEB_CONCURRENCY: fromEnvironment.WEB_CONCURRENCY ?? availableParallelism() };
  const server = await startServer({ config });
  server.logger.info({ url: server.url }, `教育政策问答服务已启动：${server.url}（演示页 ${server.url}/ ，坐席台 ${server.url}/console ）`);
  const stop = (signal: string) => {
    server.logger.info({ signal }, "正在停止：不再接受新请求，等待进行中的请求完成");
    server.close().then(() => {
      server.logger.info({}, "已停止");
      // pino writes asynchronously: give it a tick to flush before the process ends.
      setTimeout(() => process.exit(0), 50);
    });
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
  process.on("SIGHUP", () => void server.reload("SIGHUP").catch(() => {}));
  await new Promise(() => {});
});
