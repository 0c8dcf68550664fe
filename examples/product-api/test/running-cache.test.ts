// The README's "against a running cache-sync" command: with CACHE_SYNC_URL and CACHE_SYNC_TOKEN the
// start script uses that cache (here a `wrangler dev` this test starts, as a deployed service
// would be configured) and starts none of its own; with only one of the two it says what is missing.
import { createCacheClient } from "@cache-sync/client";
import { afterAll, expect, it } from "vitest";
import { freePort } from "@cache-sync/dev-kit/free-port";
import { runStartCommand, type RunningCommand } from "@cache-sync/dev-kit/start-command";
import { cacheTokensVar, issueToken } from "@cache-sync/dev-kit/tokens";
import { startDevServer, type DevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { PRODUCTS_NAMESPACE, productsNamespaceConfig } from "../src/product-api.ts";

let service: DevServer | undefined;
let running: RunningCommand | undefined;
afterAll(async () => {
  await running?.stop();
  await service?.stop();
});

it("npm start -w examples/product-api with CACHE_SYNC_URL and CACHE_SYNC_TOKEN serves from that cache", async () => {
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const app = issueToken("product-api", ["read"], [PRODUCTS_NAMESPACE]);
  const ours = issueToken("test", ["read"], [PRODUCTS_NAMESPACE]);
  // The operator's side: the namespace the start script prints, with this API as its origin.
  const namespaces = { [PRODUCTS_NAMESPACE]: productsNamespaceConfig(apiUrl) };
  service = await startDevServer({
    vars: { CACHE_CONFIG: { namespaces: { default: {}, ...namespaces } }, CACHE_TOKENS: cacheTokensVar([app, ours]) },
  });

  running = await runStartCommand({
    command: ["npm", "start", "-w", "examples/product-api"],
    env: { PORT: String(port), CACHE_SYNC_URL: `${service.url}/`, CACHE_SYNC_TOKEN: app.token },
    ready: /product API on (http:\/\/127\.0\.0\.1:\d+) \(cache: (\S+),/,
  });
  expect(running.ready[2]).toBe(service.url);
  expect(running.output()).toContain(JSON.stringify(namespaces));
  const first = await fetch(`${apiUrl}/products?productId=SKU-1&fields=price,name`);
  expect(first.status).toBe(200);
  expect(first.headers.get("x-cache")).toBe("miss");
  await first.body?.cancel();

  // The entry the API's miss loaded is in this test's cache: a hit there, not a load.
  const cache = createCacheClient({ url: service.url, token: ours.token, namespace: PRODUCTS_NAMESPACE, offlineQueue: false });
  expect(await cache.get("SKU-1|name,price")).toMatchObject({
    found: true,
    state: "fresh",
    value: { id: "SKU-1", price: 89.9, name: "Trail shoe" },
  });
  await running.stop();
  expect((await fetch(`${service.url}/health`)).status).toBe(200); // Ctrl-C stops what the script started, not the cache it was given
}, 120_000);

it("with only one of CACHE_SYNC_URL and CACHE_SYNC_TOKEN it exits 2 and names the missing one", async () => {
  const started = runStartCommand({
    command: ["npm", "start", "-w", "examples/product-api"],
    env: { PORT: String(await freePort()), CACHE_SYNC_URL: "https://cache.example.com", CACHE_SYNC_TOKEN: "" },
    ready: /product API on/,
  });
  await expect(started).rejects.toThrow(/exited with 2 before it was ready[\s\S]*CACHE_SYNC_URL is set but CACHE_SYNC_TOKEN is not/);
});
