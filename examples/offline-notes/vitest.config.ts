// The page in Chromium (playwright-core) against the real cache (`wrangler dev`).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The example runs against the SDK's source, so its tests need no prior build of the package.
  resolve: { alias: { "@cache-sync/client": fileURLToPath(new URL("../../client-sdk/src/index.ts", import.meta.url)) } },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // One wrangler dev at a time: the browser test's timings should not compete with another start.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits on Chromium and `wrangler dev` round trips: vitest's default of 1 s is too
    // short on a slow, shared CI machine. Calls that need longer (a replay) still pass their own.
    expect: { poll: { timeout: 10_000 } },
  },
});
