import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { loadConfig, namespaceSettings } from "../config/load-config.ts";
import { coordinatorFor } from "../coordinator/coordinator-rpc.ts";
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
    for (let i = 0; i < 200 && (await ok(query("status", { namespace: "hot", id }))).state !== "completed"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await ok(query("status", { namespace: "hot", id }))).state).toBe("completed");
    const during = await ok(query("get", { namespace: "hot", key }));
    // Still the isolate's copy until maxAgeMs (checked when the job finished inside it, as it does
    // by seconds; the first test proves the micro-cache serves reads, this one that it ends in time).
    if (Date.now() - cachedAt < MAX_AGE_MS) expect(during.value).toBe("v1");
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
    for (let i = 0; i < 200; i++) {
      if ((await ok(query("status", { namespace: "hot", id: job.id }))).state === "completed") break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await ok(query("get", { namespace: "hot", key }))).toMatchObject({ found: false });
  });
});
