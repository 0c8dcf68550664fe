// The CLI's tests, all end-to-end: each runs the built bin (`node dist/cache-sync.js`) as a child
// process against `wrangler dev`. Files run one at a time (2 cores; each wrangler dev start is ~3 s).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ["./test/support/require-build.ts"],
  },
});
