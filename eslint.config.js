import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "index/", "data/", "scratch/", "test-artifacts/", ".wrangler/", "public/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "off",
    },
  },
  {
    // The runtime-neutral core must not reach for Node or native modules.
    files: ["src/core/**/*.ts", "src/worker/**/*.ts", "src/web/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["node:*", "fs", "path", "crypto", "hnswlib-node", "nodejieba", "iconv-lite", "chardet", "mammoth"], message: "src/core, src/worker and src/web run outside Node: use an adapter under src/node." }] },
      ],
      "no-restricted-globals": ["error", { name: "process", message: "Outside src/node, config is passed in, never read from process." }, { name: "Buffer", message: "Use Uint8Array in src/core." }],
    },
  },
);
