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
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["node:*", "fs", "path", "crypto", "hnswlib-node", "nodejieba", "iconv-lite", "chardet", "mammoth"], message: "src/core is runtime-neutral: use an adapter under src/node or src/worker." }] },
      ],
      "no-restricted-globals": ["error", { name: "process", message: "src/core must not read process: config is passed in." }, { name: "Buffer", message: "Use Uint8Array in src/core." }],
    },
  },
);
