/**
 * `npm start -w examples/product-api`: the slow upstream, the cache (`wrangler dev`, local and
 * offline, with a fresh token) and the product API, wired together. Ctrl-C stops all three.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createCacheClient } from "@cache-sync/client";
import { cacheTokensVar, issueToken } from "@cache-sync/dev-kit/tokens";
import { startDevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { PRODUCTS_NAMESPACE, productApiHandler, productsNamespaceConfig } from "./product-api.ts";
import { startUpstream } from "./upstream.ts";

const port = Number(process.env.PORT ?? 3000);
const upstream = await startUpstream({ latencyMs: 500 });
let handle: ReturnType<typeof productApiHandler> | undefined;
const server = createServer((req, res) => (handle ? void handle(req, res) : void res.writeHead(503).end()));
await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const token = issueToken("product-api", ["read"], [PRODUCTS_NAMESPACE]);
const cacheServer = await startDevServer({
  vars: { CACHE_CONFIG: { namespaces: { default: {}, [PRODUCTS_NAMESPACE]: productsNamespaceConfig(apiUrl) } }, CACHE_TOKENS: cacheTokensVar([token]) },
});
handle = productApiHandler({ cache: createCacheClient({ url: cacheServer.url, token: token.token, offlineQueue: false }), upstreamUrl: upstream.url });

console.log(`product API on ${apiUrl} (cache: ${cacheServer.url}, upstream: ${upstream.url}, 500 ms per call)

  curl -i '${apiUrl}/products?productId=SKU-1&fields=price,name'     # MISS: one upstream call
  curl -i '${apiUrl}/products?productId=SKU-1&fields=name,price'     # same key: a hit
  for i in $(seq 20); do curl -s '${apiUrl}/products?productId=SKU-2&fields=stock' & done; wait   # 1 upstream call
`);

const stop = async () => {
  server.close();
  await Promise.all([cacheServer.stop(), upstream.close()]);
  console.log(`upstream calls served: ${upstream.calls()}`);
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
