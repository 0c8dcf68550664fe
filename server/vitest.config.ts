// Tests that run inside workerd: real Durable Objects, SQLite storage, alarms and local D1.
// A real local origin (Node HTTP) is started by the global setup on a port reserved here.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { freePort } from "./test/node/free-port.ts";
import { testCacheConfig, testCacheTokens } from "./test/node/test-config.ts";

const originPort = Number(process.env.TEST_ORIGIN_PORT ?? (await freePort()));
process.env.TEST_ORIGIN_PORT = String(originPort);
const migrations = await readD1Migrations(new URL("./migrations", import.meta.url).pathname);

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "../wrangler.jsonc" },
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
