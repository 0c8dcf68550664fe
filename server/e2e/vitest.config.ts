// End-to-end tests: Node drives `wrangler dev` (started from the repo's wrangler.jsonc with an
// --env-file) and a real local origin over HTTP. One file at a time: each starts its own server.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 90_000,
    // expect.poll waits on `wrangler dev` round trips: vitest's default of 1 s is too short on a
    // slow, shared CI machine. Calls that need longer still pass their own.
    expect: { poll: { timeout: 10_000 } },
  },
});
