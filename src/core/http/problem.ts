import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { isAppError } from "../errors.js";

/** An RFC 9457 problem response with a Chinese `detail`. */
export function problem(c: Context, status: ContentfulStatusCode, code: string, detail: string): Response {
  return c.body(JSON.stringify({ type: `about:blank#${code}`, title: code, status, detail }), status, {
    "content-type": "application/problem+json; charset=utf-8",
  });
}

/** Maps any thrown error to a problem response; unexpected ones never leak their message. */
export function problemFromError(c: Context, error: unknown): Response {
  if (isAppError(error)) return problem(c, error.status as ContentfulStatusCode, error.code, error.detail);
  return problem(c, 500, "INTERNAL", "服务暂时出现问题，请稍后再试");
}
