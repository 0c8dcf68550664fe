// The README's "against a running cache-sync" command: with CACHE_SYNC_URL and CACHE_SYNC_TOKEN the
// demo uses that cache (here a `wrangler dev` this test starts, as a deployed service would be
// configured, its origin on ORIGIN_PORT) and starts none of its own.
import { createCacheClient } from "@cache-sync/client";
import { afterAll, expect, it } from "vitest";
import { freePort } from "@cache-sync/dev-kit/free-port";
import { runStartCommand, type RunningCommand } from "@cache-sync/dev-kit/start-command";
import { cacheTokensVar, issueToken } from "@cache-sync/dev-kit/tokens";
import { startDevServer, type DevServer } from "@cache-sync/dev-kit/wrangler-dev";

let service: DevServer | undefined;
let running: RunningCommand | undefined;
afterAll(async () => {
  await running?.stop();
  await service?.stop();
});

it("npm start -w examples/node-backend with CACHE_SYNC_URL and CACHE_SYNC_TOKEN invalidates in that cache", async () => {
  const originPort = await freePort();
  const backend = issueToken("backend", ["read", "invalidate"], ["products"]);
  const ours = issueToken("test", ["read"], ["products"]);
  const namespaces = { products: { shards: 8, origin: { url: `http://127.0.0.1:${originPort}/products/{key}`, timeoutMs: 5000 } } };
  service = await startDevServer({
    vars: { CACHE_CONFIG: { namespaces: { default: {}, ...namespaces } }, CACHE_TOKENS: cacheTokensVar([backend, ours]) },
  });

  running = await runStartCommand({
    command: ["npm", "start", "-w", "examples/node-backend"],
    env: { ORIGIN_PORT: String(originPort), CACHE_SYNC_URL: service.url, CACHE_SYNC_TOKEN: backend.token },
    ready: /cached price of SKU-1 now: (\S+)/,
  });
  expect(await running.exited).toBe(0);
  expect(running.ready[1]).toBe("79");
  expect(running.output()).toContain(JSON.stringify(namespaces));
  expect(running.output()).toMatch(/100% completed {2}8\/8 shards/);

  // The demo's last read left the new price in this test's cache (its origin is gone by now).
  const cache = createCacheClient({ url: service.url, token: ours.token, namespace: "products", offlineQueue: false });
  expect(await cache.get("SKU-1")).toMatchObject({ found: true, state: "fresh", value: { price: 79 } });
}, 120_000);
