// Issue 18, acceptance 1: the invalidation fence holds with the shard's clock 5 s ahead of the
// coordinator's, and 5 s behind it, in both directions of its guarantee:
// - a write acknowledged before the invalidate call began is invalidated;
// - a write that began after the invalidate call returned is not.
// With "written_at ≤ the job's createdAt" (two machines' clocks compared), the first fails with
// the shard ahead and the second with the shard behind.
import { afterEach, describe, expect, it } from "vitest";
import { finishedJob } from "../../test/support/coordinator.ts";
import { purgeBehave, purgeCalls, purgeRelease, waitForPurgeCalls } from "../../test/support/purge-control.ts";
import { inShard } from "../../test/support/in-object.ts";
import { shardStub } from "../../test/support/shards.ts";
import { mutate, ok, query } from "../../test/support/trpc-http.ts";

const NS = "fenced";
const SKEW_MS = 5_000;

/** Sets the namespace's one shard's clock `ms` off real time (the coordinator's clock stays real). */
const skewShard = (ms: number) =>
  inShard(shardStub(NS, "any"), (shard) => {
    shard.clock.offsetMs = ms;
  });

afterEach(async () => {
  await skewShard(0);
  await purgeBehave(NS, {});
});

const read = (key: string) => ok(query("get", { namespace: NS, key }));

describe.each([
  ["ahead of", SKEW_MS],
  ["behind", -SKEW_MS],
])("with the shard's clock 5 s %s the coordinator's", (_label, skew) => {
  it("a write acknowledged before the invalidate call is invalidated", async () => {
    await skewShard(skew);
    const tag = `before-${crypto.randomUUID()}`;
    const key = `k-${tag}`;
    await ok(mutate("set", { namespace: NS, key, value: "acknowledged before", tags: [tag] }));
    const job = await ok(mutate("invalidate", { namespace: NS, tags: [tag] }));
    expect((await finishedJob(NS, job.id)).state).toBe("completed");
    expect(await read(key)).toMatchObject({ found: false });
  });

  it("a write that began after the invalidate call returned survives the job, which reaches the shard later", async () => {
    await skewShard(skew);
    const tag = `after-${crypto.randomUUID()}`;
    const key = `k-${tag}`;
    await ok(mutate("set", { namespace: NS, key, value: "before", tags: [tag] }));
    // An earlier job holds the coordinator's one slot at the purge target, so the next job waits in line.
    await purgeBehave(NS, { hold: true });
    const callsBefore = (await purgeCalls(NS)).length;
    const earlier = await ok(mutate("invalidate", { namespace: NS, tags: [`other-${tag}`] }));
    await waitForPurgeCalls(NS, callsBefore + 1);

    const job = await ok(mutate("invalidate", { namespace: NS, tags: [tag] }));
    await ok(mutate("set", { namespace: NS, key, value: "after", tags: [tag] })); // began after the call returned
    await purgeBehave(NS, {});
    await purgeRelease(NS);

    expect((await finishedJob(NS, earlier.id)).state).toBe("completed");
    const finished = await finishedJob(NS, job.id);
    expect(finished.state).toBe("completed");
    expect(await read(key)).toMatchObject({ found: true, value: "after" });
  });
});
