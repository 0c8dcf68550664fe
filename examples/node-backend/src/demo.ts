/**
 * `npm start -w examples/node-backend`: the whole story in one command — a local product origin,
 * the cache (`wrangler dev`) in front of it, a read that caches the product, the update script
 * with its progress bar, and a read that shows the new price.
 */
import { createCacheClient } from "@cache-sync/client";
import { cacheTokensVar, issueToken } from "@cache-sync/dev-kit/tokens";
import { startDevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { startProductOrigin } from "./origin.ts";
import { updateProduct } from "./update-product.ts";

const origin = await startProductOrigin();
const token = issueToken("backend", ["read", "invalidate"], ["products"]);
const server = await startDevServer({
  vars: {
    CACHE_CONFIG: { namespaces: { default: {}, products: { shards: 8, origin: { url: `${origin.url}/products/{key}`, timeoutMs: 5000 } } } },
    CACHE_TOKENS: cacheTokensVar([token]),
  },
});
try {
  const cache = createCacheClient({ url: server.url, token: token.token, namespace: "products", offlineQueue: false });
  const price = async () => (await cache.get<{ price: number }>("SKU-1")).value?.price;
  console.log(`cached price of SKU-1: ${await price()}`);
  await updateProduct({ cacheUrl: server.url, token: token.token, originUrl: origin.url, productId: "SKU-1", patch: { price: 79 } });
  console.log(`cached price of SKU-1 now: ${await price()}`);
} finally {
  await server.stop();
  await origin.close();
}
