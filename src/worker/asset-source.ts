import type { AssetSource } from "../core/http/app.js";
import type { AssetsBinding } from "./env.js";

/** The pages and widget, served from the static assets' web/ folder through the ASSETS binding. */
export function assetsFromBinding(assets: AssetsBinding): AssetSource {
  return {
    async get(name) {
      if (name.split("/").some((part) => part === ".." || part === "")) return undefined;
      const response = await assets.fetch(new Request(`https://assets.local/web/${name}`));
      if (!response.ok) return undefined;
      return { body: new Uint8Array(await response.arrayBuffer()), type: response.headers.get("content-type") ?? "application/octet-stream" };
    },
  };
}
