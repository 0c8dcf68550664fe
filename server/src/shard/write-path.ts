/**
 * The shard's write path: `set` and `delete`, versioned (above the previous owner's version while
 * a change of `shards` settles: handoff.ts), idempotent (idempotency-store.ts), conditional
 * (`ifVersion`), and — in a namespace that writes behind — recorded in the outbox in the same
 * transaction as the entry.
 */
import {
  utf8Bytes,
  type DeleteRequest,
  type DeleteResult,
  type NamespaceConfig,
  type SetRequest,
  type SetResult,
} from "@cache-sync/contracts";
import type { Clock } from "../clock/clock.ts";
import { CacheError, conflict } from "../errors.ts";
import type { ShardWriteBehind } from "../write-behind/shard-write-behind.ts";
import { encodeValue } from "./entry-codec.ts";
import type { CacheEntry } from "./entry.ts";
import { versionFloor, type FindPreviousOwner } from "./handoff.ts";
import type { IdempotencyStore } from "./idempotency-store.ts";
import type { Tiers } from "./tiers.ts";

export interface WritePathDeps {
  tiers: Tiers;
  clock: Clock;
  transaction: <T>(work: () => T) => T;
  idempotency: IdempotencyStore;
  /** The outbox a write-behind write goes to, and the flush booking it moves. */
  writeBehind: Pick<ShardWriteBehind, "outbox" | "schedule">;
  previousOwner: FindPreviousOwner;
  /** Books the sweep that drops an entry (or an idempotency record) once it expires (upkeep). */
  scheduleSweep: (expiresAt: number) => Promise<void>;
}

export class WritePath {
  constructor(private readonly deps: WritePathDeps) {}

  async set(request: SetRequest, ns: NamespaceConfig): Promise<SetResult> {
    const { tiers, idempotency, clock } = this.deps;
    tiers.resize(ns.memory);
    const { key } = request;
    if (request.writeBehind === true && !ns.writeBehind) {
      throw new CacheError(
        "BAD_REQUEST",
        `writeBehind: true needs a namespace with writeBehind configured; namespace "${request.namespace}" has none`,
      );
    }
    const replay = idempotency.recall<SetResult>(request.idempotencyKey, "set", key, clock.now());
    if (replay) return replay;

    const json = JSON.stringify(request.value);
    const size = utf8Bytes(json);
    if (size > ns.maxValueBytes) {
      throw new CacheError(
        "PAYLOAD_TOO_LARGE",
        `value for key "${key}" is ${size} bytes; namespace "${request.namespace}" allows at most ${ns.maxValueBytes}`,
        { size, maxValueBytes: ns.maxValueBytes },
      );
    }
    const encoded = await encodeValue(json, size, ns.compressAboveBytes);
    const floor = await this.versionFloor(request.namespace, key, ns);

    // From here on nothing awaits until the write is done, so the checks and the write are atomic.
    const now = clock.now();
    const replayed = idempotency.recall<SetResult>(request.idempotencyKey, "set", key, now);
    if (replayed) return replayed;
    if (request.ifVersion !== undefined) {
      const current = tiers.currentVersion(key, now);
      if (current !== request.ifVersion) throw conflict(key, current, request.ifVersion);
    }
    const freshUntil = now + (request.ttlMs ?? ns.freshMs);
    const entry: CacheEntry = {
      json,
      version: 0,
      tags: [...new Set(request.tags ?? [])],
      writtenAt: now,
      freshUntil,
      staleUntil: freshUntil + (request.staleMs ?? ns.staleMs),
      size,
      negative: false,
      seq: 0,
    };
    const result = this.deps.transaction(() => {
      entry.version = tiers.store.nextVersion(now, floor);
      entry.seq = entry.version;
      tiers.store.write(key, entry, encoded);
      if (writesBehind(ns, request.writeBehind))
        this.deps.writeBehind.outbox.put(request.namespace, key, entry.version, json, now, entry.tags);
      const result: SetResult = { version: entry.version, freshUntil: entry.freshUntil, staleUntil: entry.staleUntil };
      idempotency.remember(request.idempotencyKey, "set", key, result, now);
      return result;
    });
    tiers.wrote(key, entry);
    await this.deps.scheduleSweep(entry.staleUntil);
    await this.deps.writeBehind.schedule(ns);
    return result;
  }

  async delete(request: DeleteRequest, ns: NamespaceConfig): Promise<DeleteResult> {
    const { tiers, idempotency } = this.deps;
    tiers.resize(ns.memory);
    const { key } = request;
    const now = this.deps.clock.now();
    const replay = idempotency.recall<DeleteResult>(request.idempotencyKey, "delete", key, now);
    if (replay) return replay;
    const floor = await this.versionFloor(request.namespace, key, ns);
    const result = this.deps.transaction(() => {
      const result: DeleteResult = { deleted: tiers.store.remove(key, now) };
      // A tombstone with its own version, so the main database row is replaced, not left behind.
      if (writesBehind(ns, undefined))
        this.deps.writeBehind.outbox.put(request.namespace, key, tiers.store.nextVersion(now, floor), null, now);
      idempotency.remember(request.idempotencyKey, "delete", key, result, now);
      return result;
    });
    tiers.forget(key);
    if (request.idempotencyKey !== undefined) await this.deps.scheduleSweep(now);
    await this.deps.writeBehind.schedule(ns);
    return result;
  }

  /**
   * The version a write of `key` must exceed: while a change of `shards` settles, the previous
   * owner's version of a key this shard does not hold yet (handoff.ts); otherwise 0.
   */
  private async versionFloor(namespace: string, key: string, ns: NamespaceConfig): Promise<number> {
    const owner = this.deps.previousOwner(namespace, key, ns);
    if (owner === undefined || this.deps.tiers.store.readRow(key) !== undefined) return 0;
    return versionFloor(owner, namespace, key);
  }
}

/** Whether a write goes to the outbox: the namespace writes behind, unless the call said `writeBehind: false`. */
function writesBehind(ns: NamespaceConfig, requested: boolean | undefined): boolean {
  return ns.writeBehind !== undefined && requested !== false;
}
