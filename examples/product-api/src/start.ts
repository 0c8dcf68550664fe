/**
 * `npm start -w examples/product-api`: the slow upstream, the cache and the product API, wired
 * together. The cache is the one CACHE_SYNC_URL + CACHE_SYNC_TOKEN name (deployed, or `npm run dev`)
 * or, when they are unset, a local `wrangler dev` with a fresh token. Ctrl-C stops what it started.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createCacheClient } from "@cache-sync/client";
import { cacheService } from "./cache-service.ts";
import { PRODUCTS_NAMESPACE, productApiHandler, productsNamespaceConfig } from "./product-api.ts";
import { startUpstream } from "./upstream.ts";

const port = Number(process.env.PORT ?? 3000);
const upstream = await startUpstream({ latencyMs: 500 });
let handle: ReturnType<typeof productApiHandler> | undefined;
const server = createServer((req, res) => (handle ? void handle(req, res) : void res.writeHead(503).end()));
await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const namespaces = { [PRODUCTS_NAMESPACE]: productsNamespaceConfig(apiUrl) };
const cache = await cacheService({
  config: { namespaces: { default: {}, ...namespaces } },
  tokens: { "product-api": { scopes: ["read"], namespaces: [PRODUCTS_NAMESPACE] } },
});
handle = productApiHandler({
  cache: createCacheClient({ url: cache.url, token: cache.tokens["product-api"], offlineQueue: false }),
  upstreamUrl: upstream.url,
});

console.log(`product API on ${apiUrl} (cache: ${cache.url}, upstream: ${upstream.url}, 500 ms per call)

  curl -i '${apiUrl}/products?productId=SKU-1&fields=price,name'     # MISS: one upstream call
  curl -i '${apiUrl}/products?productId=SKU-1&fields=name,price'     # same key: a hit
  for i in $(seq 20); do curl -s '${apiUrl}/products?productId=SKU-2&fields=stock' & done; wait   # 1 upstream call
`);
if (cache.stateDir === undefined) {
  console.log(`The cache at ${cache.url} loads misses from this API: its CACHE_CONFIG needs this namespace, with
the origin URL at an address the cache can reach (the token: scope read on "${PRODUCTS_NAMESPACE}"):
  ${JSON.stringify(namespaces)}
`);
}

const stop = async () => {
  server.close();
  await Promise.all([cache.stop(), upstream.close()]);
  console.log(`upstream calls served: ${upstream.calls()}`);
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
