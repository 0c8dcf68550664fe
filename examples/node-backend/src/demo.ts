/**
 * `npm start -w examples/node-backend`: the whole story in one command — a local product origin,
 * the cache in front of it, a read that caches the product, the update script with its progress
 * bar, and a read that shows the new price. The cache is the one CACHE_SYNC_URL + CACHE_SYNC_TOKEN
 * name (deployed, or `npm run dev`; it must reach the origin, on ORIGIN_PORT) or, when they are
 * unset, a local `wrangler dev` with a fresh token.
 */
import { createCacheClient } from "@cache-sync/client";
import { cacheService } from "./cache-service.ts";
import { startProductOrigin } from "./origin.ts";
import { updateProduct } from "./update-product.ts";

const origin = await startProductOrigin(Number(process.env.ORIGIN_PORT ?? 0));
const namespaces = { products: { shards: 8, origin: { url: `${origin.url}/products/{key}`, timeoutMs: 5000 } } };
const cache = await cacheService({
  config: { namespaces: { default: {}, ...namespaces } },
  tokens: { backend: { scopes: ["read", "invalidate"], namespaces: ["products"] } },
});
if (cache.stateDir === undefined) {
  console.log(`The cache at ${cache.url} loads products from this script's origin: its CACHE_CONFIG needs this
namespace, with the origin URL at an address the cache can reach (the token: scopes read and invalidate on "products"):
  ${JSON.stringify(namespaces)}`);
}
try {
  const client = createCacheClient({ url: cache.url, token: cache.tokens.backend, namespace: "products", offlineQueue: false });
  const price = async () => (await client.get<{ price: number }>("SKU-1")).value?.price;
  console.log(`cached price of SKU-1: ${await price()}`);
  await updateProduct({
    cacheUrl: cache.url,
    token: cache.tokens.backend,
    originUrl: origin.url,
    productId: "SKU-1",
    patch: { price: 79 },
  });
  console.log(`cached price of SKU-1 now: ${await price()}`);
} finally {
  await cache.stop();
  await origin.close();
}
