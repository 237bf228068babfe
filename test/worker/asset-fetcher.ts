import { readFile } from "node:fs/promises";
import { join, normalize, sep } from "node:path";
import type { AssetsBinding } from "../../src/worker/env.js";

/** A stand-in for the static-assets binding: files of a built assets folder, 404 for anything else. */
export function assetsFromDir(dir: string): AssetsBinding {
  return {
    async fetch(input) {
      const url = new URL(typeof input === "string" ? input : input.url, "https://assets.local");
      const path = normalize(join(dir, decodeURIComponent(url.pathname)));
      if (!path.startsWith(normalize(dir) + sep)) return new Response("not found", { status: 404 });
      try {
        return new Response(new Uint8Array(await readFile(path)));
      } catch {
        return new Response("not found", { status: 404 });
      }
    },
  };
}
