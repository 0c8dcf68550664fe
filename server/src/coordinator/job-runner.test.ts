// Issue 16: the JobRunner built on its own, over a Coordinator's SQLite, with a clock the test moves
// and attempts the test scripts.
import { env } from "cloudflare:workers";
import type { InvalidationConfig } from "@cache-sync/contracts";
import { describe, expect, it } from "vitest";
import { inCoordinator } from "../../test/support/in-object.ts";
import { TestClock } from "../../test/worker/test-clock.ts";
import type { DueTarget } from "./job.ts";
import { JOB_RETENTION_MS, JobRunner } from "./job-runner.ts";
import { JobStore } from "./job-store.ts";
import type { AttemptResult } from "./targets.ts";

const settings: InvalidationConfig = {
  concurrency: 2,
  maxAttempts: 3,
  retryBaseMs: 1_000,
  retryMaxMs: 10_000,
  targetTimeoutMs: 1_000,
  purgeSpacingMs: 0,
  maxQueuedJobs: 100,
};

const freshCoordinator = () => env.COORDINATOR.get(env.COORDINATOR.idFromName(`runner-${crypto.randomUUID()}`));

function runnerOver(state: DurableObjectState, attempt: (target: DueTarget) => Promise<AttemptResult>) {
  const clock = new TestClock();
  clock.freeze();
  const store = new JobStore(state.storage.sql);
  const alarms: (number | null)[] = [];
  const runner = new JobRunner({
    store,
    clock,
    attempt,
    transaction: (work) => state.storage.transactionSync(work),
    settings: () => settings,
    slots: () => 1,
    alarm: { setAt: async (time) => void alarms.push(time), clear: async () => void alarms.push(null) },
    random: () => 0.5, // no jitter: a retry waits exactly base · 2^(n-1)
  });
  const job = (targets: number) =>
    store.insert(
      { id: crypto.randomUUID(), namespace: "runner", idempotencyKey: undefined, request: "{}", priority: 1, createdAt: clock.now() },
      Array.from({ length: targets }, (_, i) => ({ kind: "shard" as const, address: `runner:${i}` })),
    );
  return { runner, store, clock, alarms, job };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("the JobRunner, built directly (issue 16)", () => {
  it("runs every due target with at most `concurrency` attempts in flight, records each, then parks the alarm at the job's retention", async () => {
    let running = 0;
    let most = 0;
    const attempt = async () => {
      most = Math.max(most, ++running);
      await tick();
      running--;
      return { keys: 2, done: true };
    };
    await inCoordinator(freshCoordinator(), async (_coordinator, state) => {
      const { runner, store, clock, alarms, job } = runnerOver(state, attempt);
      const row = job(5);
      await runner.run();
      expect(store.progress(row.seq)).toMatchObject({ total: 5, completed: 5, failed: 0, invalidatedKeys: 10 });
      expect(store.byId(row.id)).toMatchObject({ state: "completed", finished_at: clock.now() });
      expect(alarms.at(-1)).toBe(clock.now() + JOB_RETENTION_MS);
    });
    expect(most).toBe(settings.concurrency);
  });

  it("a failed attempt is retried once its backoff has passed on the injected clock, and the alarm is set to that moment", async () => {
    let calls = 0;
    const attempt = async () => {
      if (++calls === 1) throw new Error("shard unavailable");
      return { keys: 1, done: true };
    };
    await inCoordinator(freshCoordinator(), async (_coordinator, state) => {
      const { runner, store, clock, alarms, job } = runnerOver(state, attempt);
      const row = job(1);
      await runner.run();
      expect(store.progress(row.seq)).toMatchObject({ completed: 0, failed: 0 });
      expect(alarms.at(-1)).toBe(clock.now() + settings.retryBaseMs);
      clock.advance(settings.retryBaseMs - 1);
      await runner.run();
      expect(calls).toBe(1);
      clock.advance(1);
      await runner.run();
      expect(calls).toBe(2);
      expect(store.byId(row.id)).toMatchObject({ state: "completed" });
    });
  });

  it("a target that fails maxAttempts times fails its job, with the last error listed", async () => {
    await inCoordinator(freshCoordinator(), async (_coordinator, state) => {
      const { runner, store, clock, job } = runnerOver(state, async () => {
        throw new Error("refused");
      });
      const row = job(1);
      for (let attempt = 1; attempt <= settings.maxAttempts; attempt++) {
        await runner.run();
        clock.advance(settings.retryMaxMs);
      }
      expect(store.byId(row.id)).toMatchObject({ state: "failed" });
      expect(store.progress(row.seq).failures).toEqual([
        expect.objectContaining({ attempts: settings.maxAttempts, last_error: "refused" }),
      ]);
    });
  });
});
