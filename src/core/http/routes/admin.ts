import { createError } from "../../errors.js";
import { problem, problemFromError } from "../problem.js";
import type { RouteContext } from "./route-context.js";

/** Constant-time comparison of two secrets (by their SHA-256, so lengths leak nothing either). */
async function sameSecret(a: string, b: string): Promise<boolean> {
  const digest = async (s: string) => new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)));
  const [x, y] = await Promise.all([digest(a), digest(b)]);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0 && a.length > 0;
}

/** POST /admin/reload (Bearer ADMIN_TOKEN): swaps in the newest index; 404 when ADMIN_TOKEN is unset. */
export function adminRoutes({ app, deps, metrics }: RouteContext): void {
  app.post("/admin/reload", async (c) => {
    if (!deps.reload || !deps.config.ADMIN_TOKEN) return problem(c, 404, "NOT_FOUND", `未找到：${c.req.path}`);
    const given = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1] ?? "";
    if (!(await sameSecret(given, deps.config.ADMIN_TOKEN))) return problemFromError(c, createError("UNAUTHORIZED"));
    try {
      const loaded = await deps.reload();
      metrics.reloads.inc({ result: "ok", trigger: "admin" });
      return c.json({ status: "reloaded", ...loaded });
    } catch (error) {
      metrics.reloads.inc({ result: "failed", trigger: "admin" });
      throw error;
    }
  });
}
