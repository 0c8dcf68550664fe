// Node tests against the real cache (`wrangler dev`, D1 on its local persist directory) and the example's app.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The example runs against the SDK's source, so its tests need no prior build of the package.
  resolve: { alias: { "@cache-sync/client": fileURLToPath(new URL("../../client-sdk/src/index.ts", import.meta.url)) } },
  test: { include: ["test/**/*.test.ts"], environment: "node", fileParallelism: false, testTimeout: 60_000, hookTimeout: 120_000 },
});
