/**
 * The product API: `GET /products?productId=…&fields=…` answered from cache-sync. The cache's
 * `products` namespace has this server's `/origin/{key}` as its origin, so on a miss the cache —
 * not this server — loads the value, once per key however many requests wait for it (coalescing),
 * and refreshes it in the background once it is stale (stale-while-revalidate).
 *
 *   client ──► GET /products ──► cache.get(key) ──(miss, once)──► GET /origin/:key ──► upstream
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { isCacheError, type CacheClient } from "@cache-sync/client";
import { parseProductCacheKey, parseProductQuery, productCacheKey } from "./product-key.ts";

export const PRODUCTS_NAMESPACE = "products";

/** The `products` namespace of CACHE_CONFIG: fresh 10 s, then served stale for up to 60 s while one refresh runs. */
export function productsNamespaceConfig(apiUrl: string, windows: { freshMs?: number; staleMs?: number } = {}) {
  return {
    freshMs: windows.freshMs ?? 10_000,
    staleMs: windows.staleMs ?? 60_000,
    origin: { url: `${apiUrl}/origin/{key}`, timeoutMs: 5_000 },
  };
}

export function productApiHandler(options: { cache: CacheClient; upstreamUrl: string; namespace?: string }) {
  const { cache, upstreamUrl, namespace = PRODUCTS_NAMESPACE } = options;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://api");
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      void res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
    try {
      if (req.method === "GET" && url.pathname === "/products") {
        let query;
        try {
          query = parseProductQuery(url.searchParams);
        } catch (error) {
          return send(400, { error: (error as Error).message });
        }
        const entry = await cache.get(productCacheKey(query), { namespace });
        if (!entry.found) return send(404, { error: `no product ${query.productId}` });
        return send(200, entry.value, { "x-cache": entry.state, age: String(Math.floor((entry.ageMs ?? 0) / 1000)) });
      }
      // Called by the cache on a miss or refresh; the key says what to load.
      const originKey = url.pathname.match(/^\/origin\/(.+)$/)?.[1];
      if (req.method === "GET" && originKey) {
        const { productId, fields } = parseProductCacheKey(decodeURIComponent(originKey));
        const upstream = await fetch(`${upstreamUrl}/products/${encodeURIComponent(productId)}?fields=${fields.join(",")}`);
        const tags = upstream.headers.get("cache-tag");
        return send(upstream.status, await upstream.json(), tags ? { "cache-tag": tags } : {});
      }
      send(404, { error: "try GET /products?productId=SKU-1&fields=name,price" });
    } catch (error) {
      if (isCacheError(error)) return send(error.status || 502, { error: error.message, code: error.code });
      send(500, { error: "internal error" });
    }
  };
}
