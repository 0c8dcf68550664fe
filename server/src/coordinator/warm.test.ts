import { describe, expect, it } from "vitest";
import { read } from "../../test/support/bulk-entries.ts";
import { behave, originCount, originMaxConcurrency, originTotal, uniqueKey } from "../../test/support/origin-control.ts";
import { mutate, ok, query } from "../../test/support/trpc-http.ts";

async function waitForJob(namespace: string, id: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  const seen: number[] = [];
  for (;;) {
    const status = await ok(query("status", { namespace, id }));
    seen.push(status.progress);
    if (status.state === "completed" || status.state === "failed" || Date.now() > deadline) return { status, seen };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("warm", () => {
  it("1,000 keys finish with progress 100, every key fresh, never more than the configured concurrency at the origin", async () => {
    const group = uniqueKey("warm");
    await behave(group, { latencyMs: 5 });
    const keys = Array.from({ length: 1_000 }, (_, i) => `${group}:${i}`);
    const queued = await ok(mutate("warm", { namespace: "warmable", keys }));
    expect(queued).toMatchObject({ state: "queued", totalTargets: 100 });

    const { status, seen } = await waitForJob("warmable", queued.id);
    expect(status).toMatchObject({ state: "completed", progress: 100, invalidatedKeys: 1_000, failedTargets: 0 });
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    // invalidation.concurrency is 4 in this namespace: at most 4 loads at once.
    expect(await originMaxConcurrency(group)).toBeLessThanOrEqual(4);
    expect(await originMaxConcurrency(group)).toBeGreaterThan(1);
    // Every key, read straight from its shard (the tRPC route would be slow for 1,000 calls): fresh
    // from the cache, not loaded by this read — and, counted at the origin, each loaded exactly once.
    const results = await Promise.all(keys.map((key) => read("warmable", key)));
    expect(keys.filter((_, i) => !(results[i]!.found && results[i]!.state === "fresh"))).toEqual([]);
    expect(await originTotal(`${group}:`)).toBe(1_000);
    for (const key of [keys[0]!, keys[499]!, keys[999]!]) {
      expect(await ok(query("get", { namespace: "warmable", key }))).toMatchObject({ found: true, state: "fresh" });
      expect(await originCount(key)).toBe(1);
    }
  }, 60_000);

  it("warming a namespace without an origin is a 400 naming the problem", async () => {
    const reply = await mutate("warm", { namespace: "default", keys: ["a"] });
    expect(reply.status).toBe(400);
    expect(reply.body.error.message).toMatch(/no origin to warm/);
  });

  it("a key the origin does not have finishes the job without counting it", async () => {
    const key = uniqueKey("absent");
    await behave(key, { status: 404 });
    const queued = await ok(mutate("warm", { namespace: "warmable", keys: [key] }));
    const { status } = await waitForJob("warmable", queued.id);
    expect(status).toMatchObject({ state: "completed", invalidatedKeys: 0 });
  });
});

describe("warm by tag", () => {
  // Two shards and a bound of 4: each shard's share is 2 loads at once (tag-warm-targets.ts).
  const namespace = "warmable-tags";
  const get = (key: string) => ok(query("get", { namespace, key }));

  it("reloads every key a shard has seen with the tag, stale ones included, within the origin bound and nothing else", async () => {
    const tag = uniqueKey("tag");
    const otherTag = uniqueKey("other-tag");
    const group = uniqueKey("tagged");
    const otherGroup = uniqueKey("other");
    const plainGroup = uniqueKey("plain");
    await behave(group, { tags: [tag] });
    await behave(otherGroup, { tags: [otherTag] });
    await behave(plainGroup, {});
    const tagged = Array.from({ length: 40 }, (_, i) => `${group}:${i}`);
    const other = Array.from({ length: 5 }, (_, i) => `${otherGroup}:${i}`);
    const plain = Array.from({ length: 5 }, (_, i) => `${plainGroup}:${i}`);
    // One at a time, so the origin's concurrency record for the group starts at 1.
    for (const key of [...tagged, ...other, ...plain]) await get(key);

    // Everything goes stale (a soft purge): only the tag's keys may be reloaded by the warm.
    const stale = await ok(mutate("invalidate", { namespace, tags: [tag, otherTag], keys: plain, mode: "stale" }));
    expect((await waitForJob(namespace, stale.id)).status).toMatchObject({ state: "completed", invalidatedKeys: 50 });

    await behave(group, { tags: [tag], latencyMs: 30 });
    const queued = await ok(mutate("warm", { namespace, tags: [tag] }));
    expect(queued).toMatchObject({ state: "queued", totalTargets: 2 });
    const { status, seen } = await waitForJob(namespace, queued.id);
    expect(status).toMatchObject({ state: "completed", progress: 100, invalidatedKeys: 40, completedTargets: 2, failedTargets: 0 });
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    // The bound holds across shards, and more than one load per shard ran (2 shards × 1 would be 2).
    expect(await originMaxConcurrency(group)).toBeLessThanOrEqual(4);
    expect(await originMaxConcurrency(group)).toBeGreaterThan(2);

    // Counts first: a read of a stale key would start a refresh of its own.
    for (const key of [...other, ...plain]) expect(await originCount(key)).toBe(1);
    for (const key of tagged) {
      expect(await originCount(key)).toBe(2);
      expect(await get(key)).toMatchObject({ found: true, state: "fresh", tags: [tag] });
    }
    for (const key of tagged) expect(await originCount(key)).toBe(2);
  }, 60_000);

  it("keys and tags together share the origin bound; a tag no shard has seen adds nothing", async () => {
    const tag = uniqueKey("tag");
    const group = uniqueKey("mixed");
    await behave(group, { tags: [tag] });
    const tagged = Array.from({ length: 20 }, (_, i) => `${group}:t${i}`);
    for (const key of tagged) await get(key);
    const stale = await ok(mutate("invalidate", { namespace, tags: [tag], mode: "stale" }));
    expect((await waitForJob(namespace, stale.id)).status).toMatchObject({ state: "completed", invalidatedKeys: 20 });

    // Listed keys of the same origin group (one concurrency count), without the tag.
    const listed = Array.from({ length: 20 }, (_, i) => `${group}:k${i}`);
    for (const key of listed) await behave(key, { latencyMs: 30 });
    await behave(group, { tags: [tag], latencyMs: 30 });
    const queued = await ok(mutate("warm", { namespace, keys: listed, tags: [tag, uniqueKey("unseen")] }));
    expect(queued).toMatchObject({ state: "queued", totalTargets: 2 + 2 });
    const { status } = await waitForJob(namespace, queued.id);
    expect(status).toMatchObject({ state: "completed", progress: 100, invalidatedKeys: 40, failedTargets: 0 });
    // Two chunks (1 load each) and two shards (2 each) would be 6 at once if a shard's target took one slot.
    expect(await originMaxConcurrency(group)).toBeLessThanOrEqual(4);
    for (const key of listed) expect(await originCount(key)).toBe(1);
    for (const key of tagged) expect(await originCount(key)).toBe(2);
  }, 30_000);

  it("refuses bad inputs with a 400 naming the problem", async () => {
    const cases: [unknown, RegExp][] = [
      [{ namespace }, /give at least one key or tag to warm/],
      [{ namespace, keys: [], tags: [] }, /give at least one key or tag to warm/],
      [{ namespace, tags: [""] }, /tags\.0: tag must not be empty/],
      [{ namespace, tags: ["x".repeat(129)] }, /tags\.0: tag must be at most 128 characters/],
      [{ namespace, tags: Array.from({ length: 101 }, (_, i) => `t${i}`) }, /tags: at most 100 tags per warm call/],
      [{ namespace, tags: "not-a-list" }, /tags:/],
    ];
    for (const [input, message] of cases) {
      const reply = await mutate("warm", input);
      expect(reply.status, JSON.stringify(input).slice(0, 80)).toBe(400);
      expect(reply.body.error.data.code).toBe("BAD_REQUEST");
      expect(reply.body.error.message).toMatch(message);
    }
    // A tag warm needs a source to load from, like a key warm.
    const reply = await mutate("warm", { namespace: "default", tags: ["a"] });
    expect(reply.status).toBe(400);
    expect(reply.body.error.message).toMatch(/no origin to warm/);
  });
});
