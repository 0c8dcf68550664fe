// Issue 17, acceptance 1: HTTP caching headers of /r for public and authenticated namespaces —
// fresh, stale, after an invalidation, 304 by ETag and by date — and never a shared-cache header on
// an answer a token was needed for.
import { describe, expect, it } from "vitest";
import { finishedJob } from "../../test/support/coordinator.ts";
import { behave, originCount, uniqueKey } from "../../test/support/origin-control.ts";
import { advanceShardClock } from "../../test/support/shards.ts";
import { mutate, ok, query, send } from "../../test/support/trpc-http.ts";

/** Nothing a shared cache could take as leave to store or reuse the answer. */
function expectNoSharedCacheHeaders(headers: Headers): void {
  const control = headers.get("cache-control") ?? "";
  expect(control).toMatch(/^private, max-age=\d+$/);
  expect(control).not.toMatch(/public|s-maxage|stale-while-revalidate|stale-if-error/);
  expect(headers.get("cdn-cache-control")).toBeNull();
  expect(headers.get("vary") ?? "").toContain("Authorization");
}

const read = (namespace: string, key: string, headers: Record<string, string> = {}, token?: string | null) =>
  send(`/r/${namespace}/${encodeURIComponent(key)}`, { headers, token });

describe("a public namespace's answers (issue 17)", () => {
  it("fresh: browsers revalidate (max-age=0), shared caches keep it for the fresh time left, stale-if-error for the stale window", async () => {
    const key = uniqueKey("fresh");
    await behave(key, { value: { n: 1 }, tags: ["catalog"] });
    const miss = await read("http-public", key, {}, null);
    expect(miss.status).toBe(200);
    // freshMs 10 s, staleMs 60 s; sharedMaxAgeMs 60 s caps neither.
    expect(miss.headers.get("cache-control")).toMatch(/^public, max-age=0, s-maxage=(9|10), stale-if-error=60$/);
    const cdn = miss.headers.get("cdn-cache-control")!;
    expect(cdn).toMatch(/^public, max-age=(9|10), stale-while-revalidate=\d+, stale-if-error=60$/);
    // The shared bound: fresh + while-revalidating stays within sharedMaxAgeMs (60 s).
    const [, fresh, swr] = /max-age=(\d+), stale-while-revalidate=(\d+)/.exec(cdn)!;
    expect(Number(fresh) + Number(swr)).toBeLessThanOrEqual(60);
    expect(Date.parse(miss.headers.get("last-modified")!)).toBeGreaterThan(Date.now() - 60_000);
    expect(miss.headers.get("vary") ?? "").not.toContain("Authorization");
  });

  it("the namespace's httpCache caps what browsers and shared caches may keep", async () => {
    const key = uniqueKey("capped");
    await ok(mutate("set", { namespace: "http-capped", key, value: 1 }));
    const reply = await read("http-capped", key, {}, null);
    // freshMs and staleMs 600 s; browserMaxAgeMs 5 s, sharedMaxAgeMs 30 s (all of it fresh: nothing left for stale-while-revalidate).
    expect(reply.headers.get("cache-control")).toMatch(/^public, max-age=5, s-maxage=30, stale-if-error=600$/);
    expect(reply.headers.get("cdn-cache-control")).toBe("public, max-age=30, stale-if-error=600");
  });

  it("stale: nothing fresh for anyone, stale-while-revalidate for the stale window left", async () => {
    const key = uniqueKey("stale");
    await behave(key, { value: { v: 1 } });
    await read("http-public", key, {}, null);
    await advanceShardClock("http-public", key, 10_001);
    await behave(key, { value: { v: 2 }, latencyMs: 1_000 });
    const stale = await read("http-public", key, {}, null);
    expect(stale.headers.get("x-cache")).toBe("STALE");
    expect(stale.headers.get("cache-control")).toMatch(/^public, max-age=0, s-maxage=0, stale-if-error=(59|60)$/);
    expect(stale.headers.get("cdn-cache-control")).toMatch(/^public, max-age=0, stale-while-revalidate=(59|60), stale-if-error=(59|60)$/);
  });

  it("304 by ETag and by date, with the 200's caching headers and no origin call; an older date or another ETag gets the body", async () => {
    const key = uniqueKey("conditional");
    await behave(key, { value: { n: 1 } });
    const first = await read("http-public", key, {}, null);
    const etag = first.headers.get("etag")!;
    const modified = first.headers.get("last-modified")!;
    const byEtag = await read("http-public", key, { "If-None-Match": etag }, null);
    expect(byEtag.status).toBe(304);
    expect(byEtag.body).toBeNull();
    expect(byEtag.headers.get("etag")).toBe(etag);
    expect(byEtag.headers.get("cache-control")).toMatch(/^public, max-age=0, s-maxage=\d+/);
    const byDate = await read("http-public", key, { "If-Modified-Since": modified }, null);
    expect(byDate.status).toBe(304);
    expect(byDate.headers.get("last-modified")).toBe(modified);
    const earlier = new Date(Date.parse(modified) - 1_000).toUTCString();
    expect((await read("http-public", key, { "If-Modified-Since": earlier }, null)).status).toBe(200);
    // If-None-Match wins over a date that would match (RFC 9110 §13.2.2).
    expect((await read("http-public", key, { "If-None-Match": '"1"', "If-Modified-Since": modified }, null)).status).toBe(200);
    expect((await read("http-public", key, { "If-Modified-Since": "not a date" }, null)).status).toBe(200);
    expect(await originCount(key)).toBe(1);
  });

  it("after an invalidation the answer is new: a new ETag and Last-Modified, and the old ETag gets the body", async () => {
    const key = uniqueKey("invalidated");
    const tag = `t-${crypto.randomUUID()}`;
    await behave(key, { value: { n: 1 }, tags: [tag] });
    const before = await read("http-public", key, {}, null);
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // a Last-Modified a second later
    const job = await ok(mutate("invalidate", { namespace: "http-public", tags: [tag] }));
    expect((await finishedJob("http-public", job.id)).state).toBe("completed");
    const after = await read("http-public", key, { "If-None-Match": before.headers.get("etag")! }, null);
    expect(after.status).toBe(200);
    expect(after.headers.get("x-cache")).toBe("MISS");
    expect(after.headers.get("etag")).not.toBe(before.headers.get("etag"));
    expect(Date.parse(after.headers.get("last-modified")!)).toBeGreaterThan(Date.parse(before.headers.get("last-modified")!));
    expect(after.headers.get("cache-control")).toMatch(/^public, max-age=0, s-maxage=(9|10)/);
    expect(await originCount(key)).toBe(2);
  });

  it("Cache-Tag values are namespaced, with one hashed tag for the key and one for the namespace", async () => {
    const key = uniqueKey("tags/with spaces,and=odd chars");
    await behave(key, { value: 1, tags: ["catalog", "shoes"] });
    const reply = await read("http-public", key, {}, null);
    const tags = reply.headers.get("cache-tag")!.split(",");
    expect(tags).toEqual([
      "http-public:catalog",
      "http-public:shoes",
      expect.stringMatching(/^http-public\/key\/[0-9a-f]{16}$/),
      "http-public",
    ]);
    const other = await read("http-public", `${key}-2`, {}, null);
    expect(other.headers.get("cache-tag")!.split(",")[0]).toMatch(/^http-public\/key\/[0-9a-f]{16}$/);
    expect(other.headers.get("cache-tag")).not.toContain(tags[2]);
  });
});

describe("an authenticated namespace's answers never carry a shared-cache header (issue 17)", () => {
  it("fresh, stale, after an invalidation, and 304s by ETag and by date are all private", async () => {
    const key = uniqueKey("private");
    const tag = `p-${crypto.randomUUID()}`;
    await behave(key, { value: { secret: true }, tags: [tag] });
    const fresh = await read("products", key);
    expect(fresh.status).toBe(200);
    expectNoSharedCacheHeaders(fresh.headers);
    expect(fresh.headers.get("cache-control")).toBe("private, max-age=0");

    const byEtag = await read("products", key, { "If-None-Match": fresh.headers.get("etag")! });
    expect(byEtag.status).toBe(304);
    expectNoSharedCacheHeaders(byEtag.headers);
    const byDate = await read("products", key, { "If-Modified-Since": fresh.headers.get("last-modified")! });
    expect(byDate.status).toBe(304);
    expectNoSharedCacheHeaders(byDate.headers);
    expect(await originCount(key)).toBe(1);

    await advanceShardClock("products", key, 10_001);
    const stale = await read("products", key);
    expect(stale.headers.get("x-cache")).toBe("STALE");
    expectNoSharedCacheHeaders(stale.headers);

    const job = await ok(mutate("invalidate", { namespace: "products", tags: [tag] }));
    expect((await finishedJob("products", job.id)).state).toBe("completed");
    const after = await read("products", key);
    expect(after.status).toBe(200);
    expectNoSharedCacheHeaders(after.headers);
  });

  it("a namespace nobody listed is authenticated too, whatever default says", async () => {
    await ok(mutate("set", { namespace: "unlisted-http", key: "k", value: 1 }));
    expectNoSharedCacheHeaders((await read("unlisted-http", "k")).headers);
  });
});

describe("answers that are never stored (issue 17)", () => {
  it("/trpc answers, /r errors and /health say no-store", async () => {
    expect((await query("get", { key: uniqueKey("nothing") })).headers.get("cache-control")).toBe("no-store");
    expect((await mutate("set", { key: uniqueKey("x"), value: 1 })).headers.get("cache-control")).toBe("no-store");
    const missing = uniqueKey("missing");
    await behave(missing, { status: 404 });
    const notFound = await read("http-public", missing, {}, null);
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get("cache-control")).toBe("no-store");
    expect((await send("/health")).headers.get("cache-control")).toBe("no-store");
  });
});
