// The SDK's binding transport inside workerd, against the real cache-sync Worker bound as CACHE:
// through the example Worker's routes, and directly with both protocols (RPC and fetch).
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createCacheClient, isCacheError, type CacheBinding } from "@cache-sync/client";

const { CACHE: binding, TEST_TOKEN: token } = env as unknown as { CACHE: CacheBinding & { fetch: typeof fetch }; TEST_TOKEN: string };
const call = (path: string, init?: RequestInit) => exports.default.fetch(new Request(`https://catalog.example${path}`, init));

describe("a Worker using the cache through a service binding", () => {
  it("writes and reads a product through the example's routes", async () => {
    const put = await call("/products/sku-1", { method: "PUT", body: JSON.stringify({ sku: "sku-1", name: "Lamp", price: 30 }) });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ queued: false, version: expect.any(Number) });
    const get = await call("/products/sku-1");
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ sku: "sku-1", name: "Lamp", price: 30 });
    expect((await call("/products/none")).status).toBe(404);
  });

  it("invalidates by tag and waits for the job with done()", async () => {
    await call("/products/sku-2", { method: "PUT", body: JSON.stringify({ sku: "sku-2", name: "Desk", price: 90 }) });
    const purge = await call("/catalog/purge", { method: "POST" });
    expect(await purge.json()).toMatchObject({ state: "completed", progress: 100 });
    expect((await call("/products/sku-2")).status).toBe(404);
  });

  for (const bindingProtocol of ["rpc", "http"] as const) {
    it(`over ${bindingProtocol}: the same API, and the server's errors as the same CacheError`, async () => {
      const cache = createCacheClient({ binding, bindingProtocol, token, namespace: "catalog", offlineQueue: false });
      const written = await cache.set(`direct-${bindingProtocol}`, { n: 1 });
      if (written.queued) throw new Error("a binding call is never queued here");
      expect((await cache.get<{ n: number }>(`direct-${bindingProtocol}`)).value?.n).toBe(1);
      expect((await cache.stats()).namespace).toBe("catalog");
      const conflict = await cache
        .set(`direct-${bindingProtocol}`, { n: 2 }, { ifVersion: written.version + 1000 })
        .catch((e: unknown) => e);
      expect(isCacheError(conflict)).toBe(true);
      expect(conflict).toMatchObject({ code: "CONFLICT", status: 409, details: { currentVersion: written.version } });
      const invalid = await cache.set(`direct-${bindingProtocol}`, 1, { tags: ["x".repeat(200)] }).catch((e: unknown) => e);
      expect(invalid).toMatchObject({ code: "BAD_REQUEST", status: 400 });
      expect((invalid as Error).message).toMatch(/tag/);
    });
  }

  it("picks RPC for an entrypoint binding and tRPC over fetch for a plain Fetcher", async () => {
    const fetcher = { fetch: (input: string | URL | Request, init?: RequestInit) => binding.fetch(input, init) };
    const cache = createCacheClient({ binding: fetcher, token, namespace: "catalog", offlineQueue: false });
    await cache.set("via-fetcher", "yes");
    expect((await cache.get("via-fetcher")).value).toBe("yes");
  });
});
