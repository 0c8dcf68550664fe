// Issue 4: invalidation jobs end to end inside workerd — what they remove, what they leave alone.
import { describe, expect, it } from "vitest";
import { loadConfig, namespaceSettings } from "../config/load-config.ts";
import { env } from "cloudflare:workers";
import { shardStub } from "../../test/support/shards.ts";
import { shardIndex } from "../routing/shard-routing.ts";
import { shardByName } from "../routing/shard-stub.ts";
import { finishedJob, settleCoordinator } from "../../test/support/coordinator.ts";
import { foundKeys, seed } from "../../test/support/bulk-entries.ts";
import { behave, originCount, uniqueKey } from "../../test/support/origin-control.ts";
import { purgeBehave, purgeRelease, waitForPurgeCalls } from "../../test/support/purge-control.ts";
import { mutate, ok, query } from "../../test/support/trpc-http.ts";
import { inShard } from "../../test/support/in-object.ts";

const get = (namespace: string, key: string) => ok(query("get", { namespace, key }));
const set = (namespace: string, key: string, value: unknown, tags: string[] = []) => ok(mutate("set", { namespace, key, value, tags }));
const invalidate = (input: object) => ok(mutate("invalidate", input));
const loadsInFlight = (namespace: string, key: string) => inShard(shardStub(namespace, key), (shard) => shard.loadsInFlight);

describe("invalidation by tag across shards", () => {
  it("400 keys over 4 shards, half tagged red: invalidating red removes exactly the 200 red keys", async () => {
    const ns = "inv-wide";
    const red = `red-${crypto.randomUUID()}`;
    const keys = Array.from({ length: 400 }, (_, i) => `wide-${i}-${crypto.randomUUID()}`);
    const redKeys = keys.filter((_, i) => i % 2 === 0);
    const { shards } = namespaceSettings(loadConfig(env.CACHE_CONFIG), ns);
    expect(shards).toBeGreaterThanOrEqual(4);
    expect(new Set(keys.map((key) => shardIndex(key, shards))).size).toBe(shards);
    await seed(
      ns,
      keys.map((key, i) => ({ key, value: { key }, tags: i % 2 === 0 ? [red, "everything"] : ["everything"] })),
    );

    const queued = await invalidate({ namespace: ns, tags: [red] });
    expect(queued).toMatchObject({ namespace: ns, state: "queued", progress: 0, totalTargets: shards, completedTargets: 0 });
    const done = await finishedJob(ns, queued.id);
    expect(done).toMatchObject({
      state: "completed",
      progress: 100,
      totalTargets: shards,
      completedTargets: shards,
      failedTargets: 0,
      invalidatedKeys: 200,
      errors: [],
      createdAt: queued.createdAt,
    });
    expect(done.startedAt).toBeGreaterThanOrEqual(done.createdAt);
    expect(done.finishedAt).toBeGreaterThanOrEqual(done.startedAt!);

    const survivors = await foundKeys(ns, keys);
    expect(survivors).toEqual(keys.filter((key) => !redKeys.includes(key)).sort());
    const stats = await ok(query("stats", { namespace: ns }));
    expect(stats.invalidations.completed).toBeGreaterThanOrEqual(1);
  });

  it("an entry with a matching tag written after invalidate returned survives the job", async () => {
    // Concurrency 1 and a held purge target: the job waits behind another one, so the late
    // write really lands on its shard before the job reaches it.
    const ns = "inv-gated";
    const tag = `late-${crypto.randomUUID()}`;
    await purgeBehave("inv-gated", { hold: true });
    const early = uniqueKey("early");
    await set(ns, early, "before", [tag]);
    const blocker = await invalidate({ namespace: ns, tags: ["nothing-matches"] });
    await waitForPurgeCalls("inv-gated", 1);
    const job = await invalidate({ namespace: ns, tags: [tag] });
    const late = uniqueKey("late");
    await set(ns, late, "after", [tag]);
    await purgeRelease("inv-gated");
    expect((await finishedJob(ns, blocker.id)).state).toBe("completed");
    expect(await finishedJob(ns, job.id)).toMatchObject({ state: "completed", invalidatedKeys: 1 });
    expect(await get(ns, early)).toMatchObject({ found: false });
    expect(await get(ns, late)).toMatchObject({ found: true, value: "after" });
  });

  it("a purge that arrives while an origin load of a matching key is in flight leaves no pre-purge data behind", async () => {
    const ns = "inv-origin";
    const key = uniqueKey("in-flight");
    const tag = `loading-${crypto.randomUUID()}`;
    // The origin holds the load for 4 s (its timeout is 5 s): the job runs and ends inside that.
    await behave(key, { latencyMs: 4_000, tags: [tag] });
    let loadAnswered = false;
    const load = query("get", { namespace: ns, key }).finally(() => (loadAnswered = true));
    while ((await originCount(key)) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const job = await invalidate({ namespace: ns, tags: [tag] });
    expect((await finishedJob(ns, job.id)).state).toBe("completed");
    expect(loadAnswered, "the purge must have landed while the load was still in flight").toBe(false);
    expect(await originCount(key)).toBe(1);
    await load;
    // The load that was in flight must not have been stored: the next read goes to the origin again.
    expect(await get(ns, key)).toMatchObject({ found: true, state: "miss", source: "origin", value: { key, fetch: 2 } });
    expect(await originCount(key)).toBe(2);
  });
});

describe("key and prefix selectors, and soft purge", () => {
  it("prefixes remove exactly the keys that start with them", async () => {
    const ns = "inv-wide";
    const run = crypto.randomUUID();
    const keys = [
      `${run}/users/1`,
      `${run}/users/2`,
      `${run}/users/10/posts`,
      `${run}/users`,
      `${run}/usersx`,
      `${run}/user`,
      `${run}/teams/1`,
      `${run}/users/é`,
      `${run}/users/\u{1F680}`,
    ];
    await seed(
      ns,
      keys.map((key) => ({ key, value: key })),
    );
    const job = await invalidate({ namespace: ns, prefixes: [`${run}/users/`, `${run}/teams/`] });
    expect(await finishedJob(ns, job.id)).toMatchObject({ state: "completed", invalidatedKeys: 6 });
    expect(await foundKeys(ns, keys)).toEqual([`${run}/user`, `${run}/users`, `${run}/usersx`].sort());
  });

  it("keys remove exactly the named keys; a key that is not cached counts nothing", async () => {
    const ns = "inv-wide";
    const keys = Array.from({ length: 6 }, (_, i) => uniqueKey(`named-${i}`));
    await seed(
      ns,
      keys.map((key) => ({ key, value: 1 })),
    );
    const job = await invalidate({ namespace: ns, keys: [keys[0], keys[3], uniqueKey("never-cached")] });
    expect(await finishedJob(ns, job.id)).toMatchObject({ state: "completed", invalidatedKeys: 2 });
    expect(await foundKeys(ns, keys)).toEqual([keys[1], keys[2], keys[4], keys[5]].sort());
  });

  it('mode "stale" keeps the entries readable as stale, and the next read runs one origin refresh', async () => {
    const ns = "inv-origin";
    const key = uniqueKey("soft");
    expect(await get(ns, key)).toMatchObject({ state: "miss", value: { key, fetch: 1 } });
    expect(await get(ns, key)).toMatchObject({ state: "fresh" });
    const job = await invalidate({ namespace: ns, keys: [key], mode: "stale" });
    expect(await finishedJob(ns, job.id)).toMatchObject({ state: "completed", invalidatedKeys: 1 });

    // The refresh stays in flight while the reads arrive, even on a loaded machine (the origin timeout is 5 s).
    await behave(key, { latencyMs: 2_500 });
    const reads = await Promise.all(Array.from({ length: 20 }, () => get(ns, key)));
    for (const read of reads) expect(read).toMatchObject({ found: true, state: "stale", value: { key, fetch: 1 } });
    // Once the one refresh has landed, the next read is fresh.
    while ((await loadsInFlight(ns, key)) > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const next = await get(ns, key);
    expect(next).toMatchObject({ state: "fresh", value: { key, fetch: 2 } });
    expect(await originCount(key)).toBe(2);
  });

  it("running a shard's part of a job twice (a retry) changes nothing more and answers the same count", async () => {
    const ns = "inv-wide";
    const tag = `twice-${crypto.randomUUID()}`;
    const keys = Array.from({ length: 10 }, (_, i) => uniqueKey(`twice-${i}`));
    await seed(
      ns,
      keys.map((key) => ({ key, value: 1, tags: [tag] })),
    );
    const job = await invalidate({ namespace: ns, tags: [tag] });
    const first = await finishedJob(ns, job.id);
    expect(first.invalidatedKeys).toBe(10);
    // Write the keys again, then replay every shard's part: the new entries are after the job.
    await seed(
      ns,
      keys.map((key) => ({ key, value: 2, tags: [tag] })),
    );
    const { shards } = namespaceSettings(loadConfig(env.CACHE_CONFIG), ns);
    let replayed = 0;
    for (let i = 0; i < shards; i++) {
      const outcome = await shardByName(env, `${ns}:${i}`).invalidate({
        namespace: ns,
        jobId: job.id,
        tags: [tag],
        keys: [],
        prefixes: [],
        mode: "purge",
        acceptedAt: first.createdAt,
      });
      if (!outcome.ok) throw new Error(outcome.error.message);
      replayed += outcome.value.invalidatedKeys;
    }
    expect(replayed).toBe(10);
    expect(await foundKeys(ns, keys)).toEqual([...keys].sort());
  });
});

describe("idempotency", () => {
  it("an idempotencyKey already seen returns the same job and queues nothing new", async () => {
    const ns = "inv-wide";
    const idempotencyKey = crypto.randomUUID();
    const input = { namespace: ns, tags: [`idem-${crypto.randomUUID()}`], idempotencyKey };
    const first = await invalidate(input);
    await settleCoordinator(ns);
    const again = await invalidate(input);
    expect(again.id).toBe(first.id);
    expect(again.createdAt).toBe(first.createdAt);
    expect(again.state).toBe("completed");
    const reused = await mutate("invalidate", { ...input, tags: ["something-else"] });
    expect(reused.status).toBe(400);
    expect(reused.body.error.message).toMatch(/already used/);
  });
});
