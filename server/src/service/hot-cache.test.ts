import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { loadConfig, namespaceSettings } from "../config/load-config.ts";
import { coordinatorFor } from "../coordinator/coordinator-rpc.ts";
import { HotCache } from "./hot-cache.ts";
import { finishedJob } from "../../test/support/coordinator.ts";
import { shardStub } from "../../test/support/shards.ts";
import { uniqueKey } from "../../test/support/origin-control.ts";
import { mutate, ok, query } from "../../test/support/trpc-http.ts";

// Namespace "hot": hotCache { maxAgeMs: 3_000 } — long enough that the read below always comes within it.
const MAX_AGE_MS = namespaceSettings(loadConfig(env.CACHE_CONFIG), "hot").hotCache!.maxAgeMs;

describe("isolate micro-cache for hot keys", () => {
  it("serves without a shard call, and shows a write made elsewhere within maxAgeMs", async () => {
    const key = uniqueKey("hot");
    await ok(mutate("set", { namespace: "hot", key, value: "v1" }));
    expect((await ok(query("get", { namespace: "hot", key }))).value).toBe("v1");
    const cachedAt = Date.now();
    // Another isolate writes: straight to the shard, this isolate's micro-cache is not told.
    const written = await shardStub("hot", key).set({ namespace: "hot", key, value: "v2" });
    expect(written.ok).toBe(true);
    const during = await ok(query("get", { namespace: "hot", key }));
    // Well within maxAgeMs of caching, however slow the machine: proof it was served from the isolate.
    expect(during.value, `read ${Date.now() - cachedAt} ms after caching (maxAgeMs ${MAX_AGE_MS})`).toBe("v1");
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, MAX_AGE_MS - (Date.now() - cachedAt)) + 5));
    expect((await ok(query("get", { namespace: "hot", key }))).value).toBe("v2");
  });

  it("an invalidation made elsewhere is visible within maxAgeMs", async () => {
    const key = uniqueKey("hot-inv-elsewhere");
    await ok(mutate("set", { namespace: "hot", key, value: "v1" }));
    expect((await ok(query("get", { namespace: "hot", key }))).value).toBe("v1");
    const cachedAt = Date.now();
    // Another isolate invalidates: straight to the namespace's coordinator, this isolate is not told.
    const accepted = await coordinatorFor(env, "hot").invalidate({ namespace: "hot", keys: [key] });
    expect(accepted.ok).toBe(true);
    const id = accepted.ok ? accepted.value.id : "";
    // The job's alarm runs now, not when the runtime gets to it: it finishes in milliseconds.
    expect((await finishedJob("hot", id)).state).toBe("completed");
    const during = await ok(query("get", { namespace: "hot", key }));
    // Still the isolate's copy until maxAgeMs: the shard no longer has the key, this isolate does.
    expect(Date.now() - cachedAt, "the job must finish well within maxAgeMs for this check").toBeLessThan(MAX_AGE_MS);
    expect(during.value).toBe("v1");
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, MAX_AGE_MS - (Date.now() - cachedAt)) + 5));
    expect(await ok(query("get", { namespace: "hot", key }))).toMatchObject({ found: false });
  });

  it("a write through this isolate is visible at once", async () => {
    const key = uniqueKey("hot-local");
    await ok(mutate("set", { namespace: "hot", key, value: 1 }));
    await ok(query("get", { namespace: "hot", key }));
    await ok(mutate("set", { namespace: "hot", key, value: 2 }));
    expect((await ok(query("get", { namespace: "hot", key }))).value).toBe(2);
  });

  it("an invalidation through this isolate drops the namespace's copies at once", async () => {
    const key = uniqueKey("hot-inv");
    await ok(mutate("set", { namespace: "hot", key, value: 1, tags: ["t"] }));
    await ok(query("get", { namespace: "hot", key }));
    const job = await ok(mutate("invalidate", { namespace: "hot", keys: [key] }));
    expect((await finishedJob("hot", job.id)).state).toBe("completed");
    expect(await ok(query("get", { namespace: "hot", key }))).toMatchObject({ found: false });
  });
});

describe("the micro-cache's staleness bound, on an injected clock", () => {
  const limits = { maxEntries: 10, maxBytes: 1 << 20 };
  const found = { found: true, valueJson: '"v"', state: "fresh", source: "memory", version: 1, ageMs: 0, tags: [] } as const;

  it("serves a copy until maxAgeMs after it was stored, aged by the time it spent here, and not at maxAgeMs", () => {
    let now = 1_000;
    const cache = new HotCache(() => now);
    cache.put("ns", "k", { ...found, tags: [] }, limits);
    now += 2_999;
    expect(cache.get("ns", "k", 3_000)).toMatchObject({ valueJson: '"v"', ageMs: 2_999 });
    now += 1;
    expect(cache.get("ns", "k", 3_000)).toBeUndefined();
    expect(cache.count).toBe(0);
  });
});
