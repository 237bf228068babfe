import type { Logger } from "../core/http/logger.js";

const LEVELS = ["debug", "info", "warn", "error"] as const;
type Level = (typeof LEVELS)[number];

/** One JSON line per event on the console: what Workers Logs (`wrangler tail`) collects. */
export function createConsoleLogger(level: string = "info", bindings: object = {}): Logger {
  const min = level === "silent" ? LEVELS.length : Math.max(0, LEVELS.indexOf(level as Level));
  const write = (at: Level) => (fields: object, message?: string) => {
    if (LEVELS.indexOf(at) < min) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level: at, ...bindings, ...fields, ...(message ? { msg: message } : {}) });
    if (at === "error") console.error(line);
    else if (at === "warn") console.warn(line);
    else console.log(line);
  };
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    child: (more) => createConsoleLogger(level, { ...bindings, ...more }),
  };
}
