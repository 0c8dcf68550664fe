/**
 * catalog-api: a Worker that serves products from cache-sync through a service binding.
 *   GET  /products/:sku   → the cached product (404 when the cache has none)
 *   PUT  /products/:sku   → writes the JSON body, tagged "catalog"
 *   POST /catalog/purge   → invalidates the "catalog" tag and waits for the job
 */
import { createCacheClient, isCacheError, type CacheBinding } from "@cache-sync/client";

export interface Env {
  CACHE: CacheBinding;
}

interface Product {
  sku: string;
  name: string;
  price: number;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    // A client per request is cheap: it holds no connection, and a Worker has no offline to queue for.
    const cache = createCacheClient({ binding: env.CACHE, namespace: "catalog", offlineQueue: false });
    const url = new URL(request.url);
    const sku = url.pathname.match(/^\/products\/(.+)$/)?.[1];
    try {
      if (sku && request.method === "GET") {
        const entry = await cache.get<Product>(decodeURIComponent(sku));
        return entry.found
          ? Response.json(entry.value, { headers: { "x-cache-state": entry.state } })
          : Response.json({ error: "no such product" }, { status: 404 });
      }
      if (sku && request.method === "PUT") {
        const product = (await request.json()) as Product;
        const written = await cache.set(decodeURIComponent(sku), product, { tags: ["catalog"] });
        return Response.json(written);
      }
      if (url.pathname === "/catalog/purge" && request.method === "POST") {
        const job = await cache.invalidate({ tags: ["catalog"] });
        return Response.json(await job.done({ timeoutMs: 10_000 }));
      }
      return Response.json({ error: "not found" }, { status: 404 });
    } catch (error) {
      if (isCacheError(error)) return Response.json({ code: error.code, message: error.message }, { status: error.status || 500 });
      throw error;
    }
  },
} satisfies ExportedHandler<Env>;
