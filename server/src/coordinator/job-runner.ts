/**
 * Runs invalidation jobs from the Coordinator's alarm. Due targets are taken in run order (job
 * priority, job arrival, target index) and attempted with at most `concurrency` in flight; each
 * outcome is written as it lands, so polling sees progress move and a restart loses nothing but
 * the attempts in flight (which run again: every target is idempotent). A target may take more
 * than one of the `concurrency` slots (a tag warm loads several keys at once). Calls to one purge URL
 * are spaced by `purgeSpacingMs`. A failed attempt is retried with backoff until `maxAttempts`.
 */
import type { InvalidationConfig } from "@cache-sync/contracts";
import type { Clock } from "../clock/clock.ts";
import { retryDelayMs } from "./backoff.ts";
import type { DueTarget } from "./job.ts";
import type { JobStore } from "./job-store.ts";
import type { AttemptResult } from "./targets.ts";

/** Finished jobs stay pollable this long (the contract promises at least 24 h), then are swept. */
export const JOB_RETENTION_MS = 25 * 60 * 60 * 1000;

/**
 * While a run is going, the alarm is parked this far ahead: if the isolate dies mid-run, the
 * alarm still fires and the run resumes.
 */
export const RUN_LEASE_MS = 60_000;

/** How many due targets one look at the table fetches beyond those in flight. */
const DUE_BATCH = 64;

export interface JobRunnerDeps {
  store: JobStore;
  transaction: <T>(work: () => T) => T;
  /** The coordinator's clock (tests move it); `offsetMs` converts its times to real alarm times. */
  clock: Pick<Clock, "now" | "offsetMs">;
  settings: (namespace: string) => InvalidationConfig;
  attempt: (target: DueTarget, timeoutMs: number) => Promise<AttemptResult>;
  /** How many of the `concurrency` slots the target takes while in flight (at least 1). */
  slots: (target: DueTarget) => number;
  alarm: { setAt(realTime: number): Promise<void>; clear(): Promise<void> };
  random: () => number;
}

export class JobRunner {
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Slots taken by the attempts in flight; equals `inFlight.size` unless a target takes several. */
  private busySlots = 0;
  /** Real time of the last call to each purge URL, for spacing. Lost on restart, which only ever allows one early call. */
  private readonly lastCall = new Map<string, number>();
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly deps: JobRunnerDeps) {}

  /** One run at a time: an alarm that fires during a run makes the run go round once more. */
  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** When the next piece of work is due, in real time (alarm time), or null when there is none. */
  nextWakeUp(): number | null {
    const { store, clock } = this.deps;
    const due = store.nextDue();
    const oldest = store.oldestFinish();
    const sweep = oldest === null ? null : oldest + JOB_RETENTION_MS;
    const next = due === null ? sweep : sweep === null ? due : Math.min(due, sweep);
    return next === null ? null : Math.max(Date.now(), next - clock.offsetMs);
  }

  private async pass(): Promise<void> {
    const { store, clock, alarm } = this.deps;
    await alarm.setAt(Date.now() + RUN_LEASE_MS);
    store.sweepFinished(clock.now() - JOB_RETENTION_MS);
    for (;;) {
      const waitMs = this.fill();
      if (this.inFlight.size === 0 && waitMs === null) break;
      const waits: Promise<void>[] = [...this.inFlight.values()];
      if (waitMs !== null) waits.push(sleep(waitMs));
      await Promise.race(waits);
    }
    // Computed and set without awaiting in between, so a job accepted meanwhile is either seen
    // here or moves the alarm itself afterwards.
    const next = this.nextWakeUp();
    await (next === null ? alarm.clear() : alarm.setAt(next));
  }

  /**
   * Starts due targets up to the concurrency bound. Returns how long until a purge URL held back
   * by spacing may be called, or null when nothing is held back.
   */
  private fill(): number | null {
    const { store, clock } = this.deps;
    let heldUntil: number | null = null;
    for (const target of store.due(clock.now(), DUE_BATCH + this.inFlight.size)) {
      const settings = this.deps.settings(target.namespace);
      if (this.busySlots >= settings.concurrency) break;
      const id = `${target.jobSeq}:${target.idx}`;
      if (this.inFlight.has(id)) continue;
      // Capped at the bound, so a target always fits once the others are done. A target that does
      // not fit now stops the pass rather than letting later (lower-ranked) ones jump ahead.
      const slots = Math.min(Math.max(1, this.deps.slots(target)), settings.concurrency);
      if (this.busySlots + slots > settings.concurrency) break;
      if (target.kind === "url" || target.kind === "http" || target.kind === "cloudflare-zone") {
        const allowedAt = (this.lastCall.get(target.address) ?? -Infinity) + settings.purgeSpacingMs;
        if (Date.now() < allowedAt) {
          heldUntil = Math.min(heldUntil ?? allowedAt, allowedAt);
          continue;
        }
        this.lastCall.set(target.address, Date.now());
      }
      this.busySlots += slots;
      this.inFlight.set(
        id,
        this.start(target, settings).finally(() => {
          this.inFlight.delete(id);
          this.busySlots -= slots;
        }),
      );
    }
    return heldUntil === null ? null : Math.max(1, heldUntil - Date.now());
  }

  private async start(target: DueTarget, settings: InvalidationConfig): Promise<void> {
    const { store, clock, transaction } = this.deps;
    store.markStarted(target.jobSeq, clock.now());
    let outcome: ({ ok: true } & AttemptResult) | { ok: false; error: string };
    try {
      outcome = { ok: true, ...(await this.deps.attempt(target, settings.targetTimeoutMs)) };
    } catch (error) {
      outcome = { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    const now = clock.now();
    transaction(() => {
      // A shard working through a big match in chunks: its count so far shows, and it is called again at once.
      if (outcome.ok && !outcome.done) store.recordProgress(target.jobSeq, target.idx, outcome.keys, now);
      else if (outcome.ok) store.recordSuccess(target.jobSeq, target.idx, outcome.keys, now);
      else {
        const failed = target.attempts + 1;
        const retryAt = failed >= settings.maxAttempts ? null : now + retryDelayMs(failed, settings, this.deps.random);
        store.recordFailure(target.jobSeq, target.idx, outcome.error, now, retryAt);
      }
      store.finishIfDone(target.jobSeq, now);
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
