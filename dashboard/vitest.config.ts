// The dashboard's tests, from Node: the page in Chromium (playwright-core, Debian's
// /usr/bin/chromium) against the real Worker (`wrangler dev`), which serves the assets built
// here first; and `npm run dev:dashboard` beside a `wrangler dev`. One file at a time: each starts
// its own server.
import { defineConfig } from "vitest/config";
import { buildDashboard } from "./scripts/build.mjs";

// The assets directory the root wrangler.jsonc names; the Worker serves what is built there.
await buildDashboard();

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 90_000,
    // expect.poll waits on browser and `wrangler dev` round trips: vitest's default of 1 s is too
    // short on a slow, shared CI machine. Calls that need longer still pass their own.
    expect: { poll: { timeout: 10_000 } },
  },
});
