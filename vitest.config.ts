import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Native addons (nodejieba, hnswlib) and a shared index folder: forks isolate them cleanly.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
