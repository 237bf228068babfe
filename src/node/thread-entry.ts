/**
 * What every worker thread of src/node shares: how a Worker runs one of its modules, and how an
 * error crosses back to the main thread.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { createError, isAppError, type AppError, type ErrorCode } from "../core/errors.js";

/**
 * The Worker entry of the thread module `name` beside `base` (the caller's import.meta.url). From
 * dist/ it is compiled JavaScript; from src/ (npm run dev, the tsx CLIs, tests) an evaluated script
 * registers tsx's loader first, then imports the TypeScript module.
 */
export function threadEntry(base: string, name: string): { entry: URL | string; eval: boolean } {
  const fromSource = base.endsWith(".ts");
  const url = new URL(`./${name}.${fromSource ? "ts" : "js"}`, base);
  if (!fromSource) return { entry: url, eval: false };
  const tsx = pathToFileURL(join(dirname(createRequire(base).resolve("tsx/package.json")), "dist/esm/api/index.mjs")).href;
  return { entry: `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`, eval: true };
}

/** An error as a thread posts it: catalog errors keep their code and detail. */
export interface ThreadError {
  app: boolean;
  code?: string;
  detail?: string;
  message: string;
}

export function threadError(error: unknown): ThreadError {
  return isAppError(error) ? { app: true, code: error.code, detail: error.detail, message: error.message } : { app: false, message: error instanceof Error ? error.message : String(error) };
}

/** A thread's error, as the main thread would have thrown it. */
export function reviveThreadError(error: ThreadError): Error {
  if (!error.app) return new Error(error.message);
  const revived: AppError = createError(error.code as ErrorCode);
  Object.defineProperty(revived, "detail", { value: error.detail });
  revived.message = error.message;
  return revived;
}
