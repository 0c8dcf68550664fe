// The SDK's tests, all from Node: unit tests, end-to-end against `wrangler dev`, the browser
// adapters in Chromium (playwright-core), and the packed package. Files that start servers run
// one at a time (2 cores; each wrangler dev start is ~3 s).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
