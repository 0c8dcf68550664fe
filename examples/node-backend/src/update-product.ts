/**
 * A backend job: update a product at its origin, then invalidate the cache's entries tagged
 * `product:<id>` and wait for the invalidation to finish, with a progress bar.
 *
 *   CACHE_SYNC_URL=… CACHE_SYNC_TOKEN=… ORIGIN_URL=… npm run update-product -w examples/node-backend -- SKU-1 '{"price":79}'
 *
 * Exits 0 when the job completed, 1 when it failed or anything else went wrong.
 */
import { fileURLToPath } from "node:url";
import { createCacheClient, type InvalidationStatus } from "@cache-sync/client";
import { progressBar } from "./progress-bar.ts";

export interface UpdateProductOptions {
  cacheUrl: string;
  token: string;
  originUrl: string;
  productId: string;
  patch: Record<string, unknown>;
  namespace?: string;
  timeoutMs?: number;
}

export async function updateProduct(options: UpdateProductOptions): Promise<InvalidationStatus> {
  const { productId, namespace = "products" } = options;
  // 1. The source of truth first: a cache invalidated before the write could reload the old value.
  const put = await fetch(`${options.originUrl}/products/${encodeURIComponent(productId)}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(options.patch),
  });
  if (!put.ok) throw new Error(`the origin refused the update: ${put.status} ${await put.text()}`);
  console.log(`updated ${productId} at the origin`);

  // 2. Then every cached view of the product, by its tag. A backend has no offline to wait out.
  const cache = createCacheClient({ url: options.cacheUrl, token: options.token, namespace, offlineQueue: false });
  const job = await cache.invalidate({ tags: [`product:${productId}`] });
  const bar = progressBar();
  const final = await job.done({ onProgress: (status) => bar.update(status), timeoutMs: options.timeoutMs ?? 60_000 });
  bar.update(final);
  bar.done();
  console.log(
    `invalidation ${final.id}: ${final.state}, ${final.invalidatedKeys} cached entr${final.invalidatedKeys === 1 ? "y" : "ies"} removed`,
  );
  return final;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [productId, patch = "{}"] = process.argv.slice(2);
  const env = (name: string) => process.env[name] ?? (console.error(`set ${name}`), process.exit(2));
  if (!productId) {
    console.error("usage: update-product <productId> '<json patch>'");
    process.exit(2);
  }
  updateProduct({
    cacheUrl: env("CACHE_SYNC_URL"),
    token: env("CACHE_SYNC_TOKEN"),
    originUrl: env("ORIGIN_URL"),
    productId,
    patch: JSON.parse(patch) as Record<string, unknown>,
  })
    .then((status) => process.exit(status.state === "completed" ? 0 : 1))
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
