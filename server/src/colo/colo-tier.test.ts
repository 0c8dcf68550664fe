// Issue 17, acceptance 2 inside workerd: the colo tier on the Cache API (`coloTier: "cache-api"`)
// answers a public namespace's second read without a Durable Object call, and an invalidation by
// tag, key or prefix reaches it; authenticated answers are never kept.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { coordinatorStub, finishedJob } from "../../test/support/coordinator.ts";
import { behave, originCount, uniqueKey } from "../../test/support/origin-control.ts";
import { TEST_TOKENS } from "../../test/support/test-tokens.ts";
import { mutate, ok, query } from "../../test/support/trpc-http.ts";
import { purgeWorkersCache } from "./workers-cache.ts";

const ns = "colo-public";

/** Through the Worker's entrypoint, where the colo tier sits (the app alone never meets it). */
async function read(namespace: string, key: string, headers: Record<string, string> = {}) {
  const response = await exports.default.fetch(new Request(`http://cache.test/r/${namespace}/${encodeURIComponent(key)}`, { headers }));
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === "" ? null : JSON.parse(text) };
}

/** Reads until the tier answers (its store runs after the first answer, in waitUntil). */
async function readFromTier(namespace: string, key: string) {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
    const reply = await read(namespace, key);
    if (reply.headers.get("x-colo-cache") === "HIT") return reply;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${namespace}/${key} never came from the colo tier`);
}

const shardHits = async (namespace: string) => (await ok(query("stats", { namespace }))).hits as number;

async function invalidated(input: object) {
  const job = await ok(mutate("invalidate", { namespace: ns, ...input }));
  return finishedJob(ns, job.id);
}

describe("the colo tier on the Cache API (issue 17)", () => {
  it("answers the second read without a shard call: the shard's counters do not move; 304 from the tier by ETag", async () => {
    const key = uniqueKey("hot");
    await behave(key, { value: { v: 1 }, tags: ["hot"] });
    const first = await read(ns, key);
    expect(first.headers.get("x-colo-cache")).toBe("MISS");
    const hit = await readFromTier(ns, key);
    const hits = await shardHits(ns);
    const again = await read(ns, key);
    expect(again.headers.get("x-colo-cache")).toBe("HIT");
    expect(again.body).toEqual({ v: 1 });
    expect(again.headers.get("cache-control")).toBe(first.headers.get("cache-control"));
    expect(again.headers.get("etag")).toBe(first.headers.get("etag"));
    const notModified = await read(ns, key, { "If-None-Match": hit.headers.get("etag")! });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get("x-colo-cache")).toBe("HIT");
    expect(await shardHits(ns)).toBe(hits);
    expect(await originCount(key)).toBe(1);
  });

  it("after invalidate { tags } completes, the next read is the new value, not the tier's copy", async () => {
    const key = uniqueKey("tagged");
    const tag = `colo-${crypto.randomUUID()}`;
    await behave(key, { value: { v: 1 }, tags: [tag] });
    await read(ns, key);
    await readFromTier(ns, key);
    await behave(key, { value: { v: 2 }, tags: [tag] });
    const done = await invalidated({ tags: [tag] });
    expect(done).toMatchObject({ state: "completed", totalTargets: 3, completedTargets: 3, errors: [] });
    const next = await read(ns, key);
    expect(next.headers.get("x-colo-cache")).toBe("MISS");
    expect(next.body).toEqual({ v: 2 });
  });

  it("keys and prefixes reach the tier too; other keys stay", async () => {
    const run = crypto.randomUUID();
    const keys = [`${run}/users/1`, `${run}/users/2`, `${run}/teams/1`, `${run}/named`];
    for (const key of keys) {
      await read(ns, key);
      await readFromTier(ns, key);
    }
    await invalidated({ keys: [`${run}/named`], prefixes: [`${run}/users/`] });
    const sources = await Promise.all(keys.map(async (key) => (await read(ns, key)).headers.get("x-colo-cache")));
    expect(sources).toEqual(["MISS", "MISS", "HIT", "MISS"]);
  });

  it("an answer made before an invalidation is not stored after it", async () => {
    const key = uniqueKey("raced");
    const tag = `raced-${crypto.randomUUID()}`;
    const startedAt = Date.now();
    await invalidated({ tags: [tag] });
    const stored = await coordinatorStub(ns).coloStore({
      cacheKey: `http://cache.test/r/${ns}/${key}?__colo_origin=`,
      namespace: ns,
      key,
      tags: [`${ns}:${tag}`],
      startedAt,
      ttlSeconds: 60,
      status: 200,
      headers: [
        ["content-type", "application/json"],
        ["cache-control", "public, max-age=0, s-maxage=60"],
      ],
      body: '"old"',
    });
    expect(stored).toBe(false);
  });

  it("never keeps an authenticated namespace's answers", async () => {
    const key = uniqueKey("private");
    await behave(key, { value: 1 });
    const auth = { authorization: `Bearer ${TEST_TOKENS.admin}` };
    for (let i = 0; i < 3; i++) {
      const reply = await read("products", key, auth);
      expect(reply.status).toBe(200);
      expect(reply.headers.get("x-colo-cache")).toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
});

describe("Workers Caching purges (the deployed colo tier)", () => {
  const calls: { method: string; options: CachePurgeOptions }[] = [];
  const platform = (withInvalidate: boolean) => ({
    purge: async (options: CachePurgeOptions) => (calls.push({ method: "purge", options }), { success: true, errors: [] }),
    ...(withInvalidate
      ? { invalidate: async (options: CachePurgeOptions) => (calls.push({ method: "invalidate", options }), { success: true, errors: [] }) }
      : {}),
  });

  it("purges by namespaced tag, hashed key tag and /r path prefix; mode stale invalidates where the runtime can", async () => {
    calls.length = 0;
    await purgeWorkersCache(platform(true), { namespace: "shop", tags: ["a"], keys: ["k 1"], keyPrefixes: ["users/é"], soft: false });
    expect(calls).toEqual([
      { method: "purge", options: { tags: ["shop:a", expect.stringMatching(/^shop\/key\/[0-9a-f]{16}$/)] } },
      { method: "purge", options: { pathPrefixes: ["/r/shop/users/%C3%A9"] } },
    ]);
    calls.length = 0;
    await purgeWorkersCache(platform(true), { namespace: "shop", tags: ["a"], keys: [], keyPrefixes: [], soft: true });
    expect(calls).toEqual([{ method: "invalidate", options: { tags: ["shop:a"] } }]);
    calls.length = 0;
    await purgeWorkersCache(platform(false), { namespace: "shop", tags: ["a"], keys: [], keyPrefixes: [], soft: true });
    expect(calls).toEqual([{ method: "purge", options: { tags: ["shop:a"] } }]);
  });

  it("fails clearly where the runtime has no Workers Caching, and when the platform refuses", async () => {
    await expect(purgeWorkersCache(undefined, { namespace: "shop", tags: ["a"], keys: [], keyPrefixes: [], soft: false })).rejects.toThrow(
      /ctx.cache is missing/,
    );
    const refusing = { purge: async () => ({ success: false, errors: [{ code: 1234, message: "rate limited" }] }) };
    await expect(purgeWorkersCache(refusing, { namespace: "shop", tags: ["a"], keys: [], keyPrefixes: [], soft: false })).rejects.toThrow(
      /refused the purge: 1234 rate limited/,
    );
  });
});
