import type { Context } from "hono";
import { problem } from "../problem.js";
import type { RouteContext } from "./route-context.js";

const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** GET /, /console (pages with a strict CSP), /widget.js and /static/* (loadable from other origins), /console.js. */
export function pageRoutes({ app, deps }: RouteContext): void {
  const serveAsset = (name: string, options: { page?: boolean; crossOrigin?: boolean } = {}) => async (c: Context) => {
    const asset = await deps.assets?.get(name);
    if (!asset) return problem(c, 404, "NOT_FOUND", `未找到：${c.req.path.slice(0, 200)}`);
    const headers: Record<string, string> = { "content-type": asset.type, "cache-control": options.page ? "no-cache" : "public, max-age=300" };
    if (options.page) headers["content-security-policy"] = PAGE_CSP;
    if (options.crossOrigin) {
      headers["cross-origin-resource-policy"] = "cross-origin";
      headers["access-control-allow-origin"] = "*";
    }
    return c.body(asset.body, 200, headers);
  };
  app.get("/", serveAsset("index.html", { page: true }));
  app.get("/console", serveAsset("console.html", { page: true }));
  app.get("/widget.js", serveAsset("widget.js", { crossOrigin: true }));
  app.get("/console.js", serveAsset("console.js"));
  app.get("/static/:name{[A-Za-z0-9][A-Za-z0-9._-]{0,80}}", (c) => serveAsset(`static/${c.req.param("name")}`, { crossOrigin: true })(c));
}
