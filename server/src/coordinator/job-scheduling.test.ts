// Issue 4: how the coordinator runs jobs — retries with backoff, progress, priority order,
// spacing per purge target, the concurrency bound. Time moves through the coordinator's clock
// and `runDurableObjectAlarm`; held purge targets make "while a job runs" a definite moment.
import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import type { InvalidationStatus } from "@cache-sync/contracts";
import { advanceCoordinatorClock, finishedJob, jobStatus, settleCoordinator, targetRows } from "../../test/support/coordinator.ts";
import { purgeBehave, purgeCalls, purgeRelease, waitForPurgeCalls } from "../../test/support/purge-control.ts";
import { mutate, ok } from "../../test/support/trpc-http.ts";

const invalidate = (input: object): Promise<InvalidationStatus> => ok(mutate("invalidate", input));

/** The delay each failed attempt of a URL target booked before its next one. */
async function retryDelays(ns: string, id: string): Promise<Map<string, number>> {
  const rows = await targetRows(ns, id);
  return new Map(rows.filter((row) => row.kind === "url").map((row) => [row.address, row.next_attempt_at - row.last_attempt_at!]));
}

describe("retries", () => {
  it("a purge target that fails twice, then succeeds, is retried with growing delays and the job completes", async () => {
    const ns = "inv-flaky";
    await purgeBehave("inv-flaky", { failTimes: 2 });
    const job = await invalidate({ namespace: ns, tags: ["t"] });
    await settleCoordinator(ns);
    expect(await jobStatus(ns, job.id)).toMatchObject({ state: "processing", completedTargets: 2, failedTargets: 0, errors: [] });

    const delays: number[] = [];
    for (let attempt = 1; attempt <= 2; attempt++) {
      const [delay] = [...(await retryDelays(ns, job.id)).values()];
      delays.push(delay!);
      // Base 60 s doubling per attempt, ±25 % jitter (slow enough that the real alarm never retries by itself).
      expect(delay).toBeGreaterThanOrEqual(0.75 * 60_000 * 2 ** (attempt - 1));
      expect(delay).toBeLessThanOrEqual(1.25 * 60_000 * 2 ** (attempt - 1));
      await settleCoordinator(ns); // not due yet: nothing happens
      expect(await purgeCalls("inv-flaky")).toHaveLength(attempt);
      await advanceCoordinatorClock(ns, delay!);
      await settleCoordinator(ns);
      expect(await purgeCalls("inv-flaky")).toHaveLength(attempt + 1);
    }
    expect(delays[1]).toBeGreaterThan(delays[0]!);
    expect(await jobStatus(ns, job.id)).toMatchObject({
      state: "completed",
      progress: 100,
      completedTargets: 3,
      failedTargets: 0,
      errors: [],
    });
    expect((await purgeCalls("inv-flaky")).map((call) => call.status)).toEqual([503, 503, 200]);
  });

  it("a target that always fails makes the job failed with its error listed, while every other target is processed", async () => {
    const ns = "inv-down";
    await purgeBehave("inv-down/broken", { failTimes: Number.MAX_SAFE_INTEGER });
    const job = await invalidate({ namespace: ns, keys: ["k"] });
    await settleCoordinator(ns);
    for (let retry = 0; retry < 2; retry++) {
      const delay = (await retryDelays(ns, job.id)).get(`http://127.0.0.1:${env.ORIGIN_PORT}/purge/inv-down/broken?token=secret`);
      await advanceCoordinatorClock(ns, delay!);
      await settleCoordinator(ns);
    }
    const status = await jobStatus(ns, job.id);
    expect(status).toMatchObject({ state: "failed", progress: 100, totalTargets: 4, completedTargets: 3, failedTargets: 1 });
    expect(status.finishedAt).not.toBeNull();
    expect(status.errors).toHaveLength(1);
    expect(status.errors[0]).toMatch(
      /^purge target http:\/\/127\.0\.0\.1:\d+\/purge\/inv-down\/broken: answered 503 \(gave up after 3 attempts\)$/,
    );
    expect(status.errors[0]).not.toContain("secret");
    expect(await purgeCalls("inv-down/broken")).toHaveLength(3);
    expect(await purgeCalls("inv-down/ok")).toHaveLength(1);
  });
});

describe("progress", () => {
  it("polling status while a job runs shows progress rising monotonically from 0 to 100", async () => {
    const ns = "inv-progress";
    const paths = ["inv-progress/a", "inv-progress/b", "inv-progress/c"];
    for (const path of paths) await purgeBehave(path, { hold: true });
    const job = await invalidate({ namespace: ns, prefixes: ["p"] });
    const seen: InvalidationStatus[] = [job];
    for (const path of paths) {
      // Concurrency 1: the shards go first, then each purge target in turn, held until released.
      await waitForPurgeCalls(path, 1);
      seen.push(await jobStatus(ns, job.id));
      await purgeRelease(path);
      seen.push(await jobStatus(ns, job.id));
    }
    seen.push(await finishedJob(ns, job.id));
    const progress = seen.map((status) => status.progress);
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(100);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    // 4 shards + 3 purge targets: each held target shows the step before it.
    expect(progress).toEqual(expect.arrayContaining([57, 71, 85]));
    expect(seen[1]).toMatchObject({ state: "processing", completedTargets: 4, totalTargets: 7 });
    expect(seen.at(-1)).toMatchObject({ state: "completed", completedTargets: 7 });
  });
});

describe("order", () => {
  it("high-priority jobs queued behind low ones run first; jobs of one priority run in order", async () => {
    const ns = "inv-priority";
    await purgeBehave("inv-priority", { hold: true });
    const blocker = await invalidate({ namespace: ns, tags: ["blocker"], priority: "low" });
    await waitForPurgeCalls("inv-priority", 1);
    const queued = [];
    for (const [name, priority] of [
      ["low-1", "low"],
      ["low-2", "low"],
      ["normal-1", "normal"],
      ["high-1", "high"],
      ["high-2", "high"],
    ]) {
      queued.push({ name, job: await invalidate({ namespace: ns, tags: [name!], priority }) });
    }
    for (const { job } of queued) expect(job.state).toBe("queued");
    await purgeRelease("inv-priority");
    for (const { job } of queued) expect((await finishedJob(ns, job.id)).state).toBe("completed");
    const order = (await purgeCalls("inv-priority")).map((call) => call.body.tags[0]);
    expect(order).toEqual(["blocker", "high-1", "high-2", "normal-1", "low-1", "low-2"]);
    expect((await jobStatus(ns, blocker.id)).state).toBe("completed");
  });
});

describe("pacing", () => {
  it("calls to one purge target are spaced by purgeSpacingMs", async () => {
    const ns = "inv-spaced";
    const jobs = [];
    for (let i = 0; i < 3; i++) jobs.push(await invalidate({ namespace: ns, keys: [`k${i}`] }));
    for (const job of jobs) await finishedJob(ns, job.id);
    const starts = (await purgeCalls("inv-spaced")).map((call) => call.startedAt);
    expect(starts).toHaveLength(3);
    // purgeSpacingMs is 1 s. Measured where the calls arrive (Node), so delivery jitter on a loaded
    // machine shows up: allow 250 ms of it; without spacing the calls arrive within a few ms of each other.
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(750);
  });

  it("never more than `concurrency` targets are in flight", async () => {
    const ns = "inv-fanout";
    for (let n = 1; n <= 6; n++) await purgeBehave(`inv-fanout/${n}`, { latencyMs: 150 });
    const job = await invalidate({ namespace: ns, tags: ["t"] });
    expect(await finishedJob(ns, job.id)).toMatchObject({ state: "completed", completedTargets: 8 });
    const calls = await purgeCalls("inv-fanout/");
    expect(calls).toHaveLength(6);
    // Calls open when each one arrived: the most ever in flight at once.
    const inFlight = calls.map(
      ({ startedAt }) => calls.filter((other) => other.startedAt <= startedAt && startedAt < other.endedAt!).length,
    );
    expect(Math.max(...inFlight)).toBe(2);
  });
});
