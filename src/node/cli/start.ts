import { availableParallelism } from "node:os";
import type { RunningServer } from "../server.js";
import { configFromEnvironment, runCli } from "./common.js";

/** `npm start`: build the index if missing or stale, load it, serve the API, the widget and the pages. */
runCli(async () => {
  const fromEnvironment = configFromEnvironment();
  // Unset, WEB_CONCURRENCY means every core: one answer thread each.
  const config = { ...fromEnvironment, WEB_CONCURRENCY: fromEnvironment.WEB_CONCURRENCY ?? availableParallelism() };
  // The answer threads start first and load their modules while this thread loads the server's
  // (imported only now for that reason); they open the index once the server knows it is current.
  const answerPool = config.WEB_CONCURRENCY > 1 ? (await import("../answer-pool.js")).startEarlyPool(config.WEB_CONCURRENCY, config) : undefined;
  let server: RunningServer;
  try {
    const { startServer } = await import("../server.js");
    server = await startServer({ config, ...(answerPool ? { answerPool } : {}) });
  } catch (error) {
    answerPool?.abort(error);
    throw error;
  }
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
