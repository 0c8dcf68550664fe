import { describe, expect, it } from "vitest";
import { advanceShardClock, shardStub } from "../../test/support/shards.ts";
import { behave, originCount, uniqueKey } from "../../test/support/origin-control.ts";
import { mutate, ok, query } from "../../test/support/trpc-http.ts";
import { inShard } from "../../test/support/in-object.ts";

const get = (key: string, extra: object = {}) => query("get", { namespace: "products", key, ...extra });

describe("coalescing", () => {
  it("300 concurrent gets of a cold key make exactly one origin request and agree", async () => {
    const key = uniqueKey("herd");
    await behave(key, { latencyMs: 400 });
    const replies = await Promise.all(Array.from({ length: 300 }, () => get(key)));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect(new Set(replies.map((r) => JSON.stringify(r.body.result.data.value)))).toEqual(new Set([JSON.stringify({ key, fetch: 1 })]));
    expect(replies[0]!.body.result.data).toMatchObject({ found: true, state: "miss", source: "origin" });
    expect(await originCount(key)).toBe(1);
    const stats = await ok(query("stats", { namespace: "products" }));
    expect(stats.coalesced).toBeGreaterThanOrEqual(299);
  });

  it("the next read after a load is a fresh hit from memory", async () => {
    const key = uniqueKey("warm");
    await ok(get(key));
    expect(await ok(get(key))).toMatchObject({ state: "fresh", source: "memory", value: { key, fetch: 1 } });
    expect(await originCount(key)).toBe(1);
  });
});

describe("stale-while-revalidate", () => {
  it("after freshMs, 100 concurrent gets are served stale at once and one refresh runs", async () => {
    const key = uniqueKey("swr");
    await ok(get(key));
    await behave(key, { latencyMs: 500 });
    await advanceShardClock("products", key, 10_001);
    const replies = await Promise.all(Array.from({ length: 100 }, () => get(key)));
    for (const reply of replies) {
      expect(reply.body.result.data).toMatchObject({ state: "stale", value: { key, fetch: 1 } });
    }
    // Wait for the one background refresh: the owning shard's in-flight map empties.
    await waitForRefresh(key);
    expect(await originCount(key)).toBe(2);
    expect(await ok(get(key))).toMatchObject({ state: "fresh", value: { key, fetch: 2 } });
  });

  it("maxStaleMs makes a caller wait for the refresh instead of taking an older copy", async () => {
    const key = uniqueKey("max-stale");
    await ok(get(key));
    await advanceShardClock("products", key, 10_000 + 5_000);
    expect(await ok(get(key, { maxStaleMs: 1_000 }))).toMatchObject({ state: "miss", source: "origin", value: { fetch: 2 } });
  });
});

describe("origin failures", () => {
  it("serves the stale copy while the origin is down (stale-if-error)", async () => {
    const key = uniqueKey("sie");
    await ok(get(key));
    await behave(key, { status: 503 });
    await advanceShardClock("products", key, 10_001);
    expect(await ok(get(key))).toMatchObject({ state: "stale", value: { fetch: 1 } });
    await waitForRefresh(key);
    // The refresh failed; the copy keeps being served and the outage is not hammered.
    for (let i = 0; i < 10; i++) expect(await ok(get(key))).toMatchObject({ state: "stale", value: { fetch: 1 } });
    expect(await originCount(key)).toBe(2);
  });

  it("a cold key with the origin down gives 502 to all 50 callers with one origin request", async () => {
    const key = uniqueKey("down");
    await behave(key, { status: 500, latencyMs: 100 });
    const replies = await Promise.all(Array.from({ length: 50 }, () => get(key)));
    for (const reply of replies) {
      expect(reply.status).toBe(502);
      expect(reply.body.error.data.code).toBe("BAD_GATEWAY");
      expect(reply.body.error.message).toMatch(/origin answered 500/);
      expect(JSON.stringify(reply.body)).not.toMatch(/at .*\.ts:\d+/);
    }
    // Callers right after the failure get the remembered error, not a new origin request.
    expect((await get(key)).status).toBe(502);
    expect(await originCount(key)).toBe(1);
  });

  it("an origin slower than its timeout gives 504 GATEWAY_TIMEOUT", async () => {
    const key = uniqueKey("timeout");
    await behave(key, { latencyMs: 1_500 });
    const reply = await query("get", { namespace: "slow", key });
    expect(reply.status).toBe(504);
    expect(reply.body.error.data.code).toBe("GATEWAY_TIMEOUT");
  });

  it("an origin body that is not JSON is a 502 naming the problem", async () => {
    const key = uniqueKey("html");
    await behave(key, { rawBody: "<html>oops</html>" });
    const reply = await get(key);
    expect(reply.status).toBe(502);
    expect(reply.body.error.message).toMatch(/not JSON/);
  });

  it("an origin 404 is found: false and is remembered for negativeTtlMs", async () => {
    const key = uniqueKey("missing");
    await behave(key, { status: 404 });
    expect(await ok(get(key))).toMatchObject({ found: false, value: null, source: null, version: null });
    expect(await ok(get(key))).toMatchObject({ found: false });
    expect(await originCount(key)).toBe(1);
    await advanceShardClock("products", key, 5_001);
    await ok(get(key));
    expect(await originCount(key)).toBe(2);
  });
});

describe("no resurrection by a slow load", () => {
  it("a set made while a load of the key is in flight is what the next get returns", async () => {
    const key = uniqueKey("race");
    await behave(key, { latencyMs: 400, value: "old-from-origin" });
    const load = get(key);
    await waitUntilLoading(key);
    await ok(mutate("set", { namespace: "products", key, value: "new-from-set" }));
    const loaded = await ok(load);
    expect(loaded.value).toBe("new-from-set");
    expect(await ok(get(key))).toMatchObject({ value: "new-from-set", state: "fresh" });
  });

  it("a delete during a load leaves nothing behind: the next get loads again", async () => {
    const key = uniqueKey("race-delete");
    await behave(key, { latencyMs: 400 });
    const load = get(key);
    await waitUntilLoading(key);
    await ok(mutate("delete", { namespace: "products", key }));
    await load;
    await behave(key, {});
    expect(await ok(get(key))).toMatchObject({ source: "origin", value: { fetch: 2 } });
  });
});

function inFlight(key: string): Promise<number> {
  return inShard(shardStub("products", key), (shard) => shard.loadsInFlight);
}

async function waitForRefresh(key: string): Promise<void> {
  for (let i = 0; i < 200 && (await inFlight(key)) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(await inFlight(key)).toBe(0);
}

async function waitUntilLoading(key: string): Promise<void> {
  for (let i = 0; i < 200 && (await inFlight(key)) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(await inFlight(key)).toBe(1);
}
