import { readFile } from "node:fs/promises";
import { join, normalize, sep } from "node:path";
import type { AssetSource } from "../core/http/app.js";

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  json: "application/json; charset=utf-8",
  txt: "text/plain; charset=utf-8",
};

/** Serves files from one folder (dist/web), read once and kept in memory; nothing outside it. */
export function assetFolder(dir: string): AssetSource {
  const cache = new Map<string, { body: Uint8Array<ArrayBuffer>; type: string } | undefined>();
  return {
    async get(name) {
      const path = normalize(join(dir, name));
      if (!path.startsWith(normalize(dir) + sep)) return undefined;
      if (cache.has(name)) return cache.get(name);
      const body = await readFile(path).then((b) => new Uint8Array(b), () => undefined);
      const asset = body ? { body, type: TYPES[name.split(".").pop() ?? ""] ?? "application/octet-stream" } : undefined;
      cache.set(name, asset);
      return asset;
    },
  };
}
