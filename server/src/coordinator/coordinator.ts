/**
 * Coordinator: the Durable Object that runs a namespace's invalidation jobs (one per namespace,
 * named after it). A thin shell: it wires SQLite, the alarm and the clock, exposes RPC methods
 * returning domain errors as values, and leaves the logic to JobQueue (accepting, answering) and
 * JobRunner (fan-out, retries, progress), which the alarm drives.
 */
import { DurableObject } from "cloudflare:workers";
import { ColoIndex } from "../colo/colo-index.ts";
import type { ColoEntry } from "../colo/colo-tier.ts";
import type { NamespaceConfig } from "@cache-sync/contracts";
import { loadConfig, namespaceSettings } from "../config/load-config.ts";
import { CacheError, settle } from "../errors.ts";
import { systemClock, type Clock } from "../clock/clock.ts";
import type { CoordinatorRpc } from "./coordinator-rpc.ts";
import { FENCE_HOLD_MS, takeFences } from "./fence.ts";
import { JobQueue } from "./job-queue.ts";
import { JobRunner } from "./job-runner.ts";
import { JobStore } from "./job-store.ts";
import { ensureSchema } from "./schema.ts";
import { slotsOf } from "./tag-warm-targets.ts";
import { attempt } from "./targets.ts";

/** What a coordinator takes from its platform besides storage (the test Worker passes its own). */
export interface CoordinatorRuntime {
  /** Job times, retry times and retention read it. */
  clock: Clock;
}

export class Coordinator extends DurableObject<Env> implements CoordinatorRpc {
  protected readonly clock: Clock;
  protected readonly runner: JobRunner;
  private readonly store: JobStore;
  private readonly queue: JobQueue;
  /** The colo tier's tag index, for `coloTier: "cache-api"` (colo-index.ts). */
  private readonly coloIndex: ColoIndex;

  constructor(ctx: DurableObjectState, env: Env, runtime: CoordinatorRuntime = { clock: systemClock }) {
    super(ctx, env);
    this.clock = runtime.clock;
    ensureSchema(ctx.storage.sql);
    const transaction = <T>(work: () => T): T => ctx.storage.transactionSync(work);
    this.store = new JobStore(ctx.storage.sql);
    this.queue = new JobQueue(this.store, transaction);
    this.coloIndex = new ColoIndex({
      sql: ctx.storage.sql,
      invalidationsSince: (time) => this.store.invalidationsSince(time),
      offsetMs: () => this.clock.offsetMs,
    });
    this.runner = new JobRunner({
      store: this.store,
      transaction,
      clock: this.clock,
      settings: (namespace) => this.settings(namespace).invalidation,
      attempt: (target, timeoutMs) => attempt(env, target, timeoutMs, { coloIndex: this.coloIndex, entrypoint: () => ctx.exports.default }),
      slots: (target) => slotsOf(target, this.settings(target.namespace)),
      alarm: {
        setAt: (time) => ctx.storage.setAlarm(time),
        clear: () => ctx.storage.deleteAlarm(),
      },
      random: Math.random,
    });
    // After a restart, work that was due (or in flight) when the isolate went away runs now,
    // whatever the alarm says: it may have been parked a lease ahead by the interrupted run.
    void ctx.blockConcurrencyWhile(() => this.wakeUpBy(this.runner.nextWakeUp()));
  }

  invalidate(input: unknown) {
    return settle(async () => {
      const namespace = namespaceOf(input);
      const settings = this.settings(namespace);
      const status = this.queue.accept(input, settings, this.clock.now(), {
        holdMs: FENCE_HOLD_MS,
        coloTier: loadConfig(this.env.CACHE_CONFIG).coloTier,
      });
      if (status.state === "queued") {
        // Before the caller hears back, every shard marks what it knows now (fence.ts); only then may the job run.
        const { unfenced } = await takeFences(this.env, namespace, settings, status.id);
        if (unfenced.length > 0) {
          console.warn(JSON.stringify({ level: "warn", event: "fence_missing", jobId: status.id, namespace, shards: unfenced }));
        }
        this.store.release(status.id, this.clock.now());
        await this.wakeUpBy(Date.now());
      }
      // For shards without a fence: the clock-based rule needs the caller to hear back after createdAt.
      await clockPast(status.createdAt - this.clock.offsetMs);
      return status;
    });
  }

  warm(input: unknown) {
    return settle(async () => {
      const namespace = namespaceOf(input);
      const status = this.queue.acceptWarm(input, this.settings(namespace), this.clock.now());
      if (status.state === "queued") await this.wakeUpBy(Date.now());
      return status;
    });
  }

  status(request: { namespace: string; id: string }) {
    return settle(() => this.queue.status(request.namespace, request.id));
  }

  counts() {
    return this.store.counts();
  }

  recentJobs(limit: number) {
    return this.queue.recent(limit);
  }

  coloStore(entry: ColoEntry): Promise<boolean> {
    return this.coloIndex.store(entry);
  }

  override async alarm(): Promise<void> {
    await this.runner.run();
  }

  /** Moves the alarm earlier to `time`, never later (one alarm per DO: it serves every job). */
  private async wakeUpBy(time: number | null): Promise<void> {
    if (time === null) return;
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > time) await this.ctx.storage.setAlarm(time);
  }

  private settings(namespace: string): NamespaceConfig {
    return namespaceSettings(loadConfig(this.env.CACHE_CONFIG), namespace);
  }
}

/** The namespace a raw request names (validation proper happens in JobQueue). */
function namespaceOf(input: unknown): string {
  const namespace = typeof input === "object" && input !== null ? (input as { namespace?: unknown }).namespace : undefined;
  if (namespace === undefined) return "default";
  if (typeof namespace !== "string") throw new CacheError("BAD_REQUEST", "namespace must be a string");
  return namespace;
}

/**
 * Answers only once the clock has passed the job's acceptance time, so an entry written after the
 * caller hears back has a later `written_at` and survives the job ("written before" is `<=`).
 */
async function clockPast(time: number): Promise<void> {
  while (Date.now() <= time) await new Promise((resolve) => setTimeout(resolve, 1));
}
