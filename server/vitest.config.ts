// Tests that run inside workerd: real Durable Objects, SQLite storage, alarms and local D1.
// A real local origin (Node HTTP) is started by the global setup on a port reserved here.
// They run the test Worker (test/worker/): the production Worker whose Durable Objects are
// subclassed to expose their clocks and randomness, with its own wrangler config.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
// By path, not by package name: vite bundles this config with esbuild and leaves package imports
// to Node, which cannot load dev-kit's TypeScript (the tests themselves import it by name).
import { freePort } from "../dev-kit/src/free-port.ts";
import { testCacheConfig, testCacheTokens } from "./test/node/test-config.ts";
import { assertTestWorkerMatches } from "./test/node/test-worker-config.ts";

const originPort = Number(process.env.TEST_ORIGIN_PORT ?? (await freePort()));
process.env.TEST_ORIGIN_PORT = String(originPort);
const testWorkerConfig = new URL("./test/worker/wrangler.jsonc", import.meta.url).pathname;
assertTestWorkerMatches(new URL("../wrangler.jsonc", import.meta.url).pathname, testWorkerConfig);
const migrations = await readD1Migrations(new URL("./migrations", import.meta.url).pathname);

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: testWorkerConfig },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: migrations,
          ORIGIN_PORT: originPort,
          CACHE_CONFIG: JSON.stringify(testCacheConfig(originPort)),
          CACHE_TOKENS: JSON.stringify(testCacheTokens()),
          // Secrets of the purge targets in test-config.ts (issue 17): a zone API token and http headers.
          TEST_ZONE_TOKEN: "zone-token-4c1e",
          TEST_PURGE_HEADERS: JSON.stringify({ "x-purge-key": "purge-key-9d2b" }),
        },
        // Room for the load-shaped tests; the limits themselves are tested end to end (e2e/auth).
        ratelimits: {
          TOKEN_RATE_LIMITER: { simple: { limit: 1_000_000, period: 10 } },
          ANON_RATE_LIMITER: { simple: { limit: 1_000_000, period: 10 } },
          AUTH_FAIL_RATE_LIMITER: { simple: { limit: 1_000_000, period: 60 } },
        },
      },
    }),
  ],
  test: {
    include: ["src/**/*.test.ts"],
    // The Worker logs a JSON line per request and a summary of reads (request-log.ts); thousands of them would bury the report.
    onConsoleLog: (log) => !log.includes('"event":"request"') && !log.includes('"event":"reads"'),
    testTimeout: 20_000,
    globalSetup: ["./test/node/global-setup.ts"],
    setupFiles: ["./test/support/apply-migrations.ts"],
  },
});
