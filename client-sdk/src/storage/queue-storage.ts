/**
 * Where the offline queue lives between page loads and process restarts, shared by every client
 * (tab, process) that opens the same storage. The only code that knows the stored shape.
 */
import type { CacheErrorInit } from "../errors/cache-error.ts";
import type { DeleteInput, InvalidateInput, SetInput } from "../generated/wire-types.ts";

/** A mutation waiting to reach the server; its input already carries its `idempotencyKey`. */
export type QueuedMutation =
  | { id: string; procedure: "set"; input: SetInput & { idempotencyKey: string }; queuedAt: number }
  | { id: string; procedure: "delete"; input: DeleteInput & { idempotencyKey: string }; queuedAt: number }
  | { id: string; procedure: "invalidate"; input: InvalidateInput & { idempotencyKey: string }; queuedAt: number };

/** A queued mutation that will not be applied (the server rejected it for good, or it `EXPIRED`), kept with the reason. */
export interface DeadLetter {
  mutation: QueuedMutation;
  error: CacheErrorInit;
  failedAt: number;
}

/**
 * One stored record. Every queued mutation is its own record, so clients sharing a storage never
 * overwrite each other. Records are immutable: written once under `key`, later only removed.
 *
 * - `mutation`: waiting to be replayed (key `m-<seq>`).
 * - `result`: replayed by the lock holder for another client, which reads the result, settles its
 *   promise and removes the record (key `r-<seq>`).
 * - `dead-letter`: will not be applied (key `d-<seq>`), until `clearDeadLetters()`.
 *
 * `seq` orders the queue: `<queuedAt, 15 digits>-<clientId>-<counter, 10 digits>`, so sorting keys of
 * one kind sorts by time, and one client's records keep the order it queued them in.
 */
export type QueueRecord =
  | { kind: "mutation"; key: string; seq: string; clientId: string; mutation: QueuedMutation }
  | { kind: "result"; key: string; seq: string; clientId: string; mutationId: string; result: unknown; appliedAt: number }
  | { kind: "dead-letter"; key: string; seq: string; clientId: string; deadLetter: DeadLetter };

/** Records to store and keys to remove, in one `write`: puts first, then removals. */
export interface QueueWriteBatch {
  put?: QueueRecord[];
  remove?: string[];
}

/**
 * The exclusive replay lock of one storage, held until `release()` (or until the holder dies).
 * `lost` aborts if the lock was taken from a holder presumed dead (e.g. a stalled process).
 */
export interface QueueLock {
  /** Aborts when the lock is no longer ours; the holder stops replaying at once. */
  readonly lost: AbortSignal;
  /** Gives the lock up (the next waiting client gets it). */
  release(): Promise<void>;
}

/**
 * A place to keep the queue, shared by every client that opens it. Clients add their own
 * `mutation` records; only the client holding the `lock` replays and removes them, so nothing is
 * replayed twice. Write a custom adapter over any store with ordered or listable keys.
 *
 * - `list()` returns every record (any order; the client sorts by `seq`).
 * - `write(batch)` stores each record under its `key` and removes the `remove` keys; atomically
 *   when the store can, otherwise puts before removals (a record both replayed and still listed is
 *   recognised by its `result`). It throws when nothing could be saved (quota, permissions): the
 *   call that queued the mutation then rejects with `QUEUE_STORAGE_FAILED`.
 * - `lock(signal)` (optional) resolves once this client holds the storage's one writer lock; it
 *   waits as long as another holds it and rejects when `signal` aborts. Without it the client
 *   assumes it is the storage's only user.
 * - `watch(onChange)` (optional) calls `onChange` when another client may have written; without
 *   it the client polls `list()`.
 *
 * @example
 * // A custom adapter over a key-value store with prefix listing, for one process:
 * const storage: QueueStorage = {
 *   list: async () => (await kv.list({ prefix: "queue/" })).map((item) => item.value as QueueRecord),
 *   write: async ({ put = [], remove = [] }) => {
 *     for (const record of put) await kv.put(`queue/${record.key}`, record);
 *     for (const key of remove) await kv.delete(`queue/${key}`);
 *   },
 * };
 */
export interface QueueStorage {
  list(): Promise<QueueRecord[]>;
  write(batch: QueueWriteBatch): Promise<void>;
  lock?(signal: AbortSignal): Promise<QueueLock>;
  watch?(onChange: () => void): () => void;
}

const PREFIX = { mutation: "m-", result: "r-", "dead-letter": "d-" } as const;

/** The storage key of a record of `kind` and `seq`. */
export const recordKey = (kind: QueueRecord["kind"], seq: string): string => PREFIX[kind] + seq;

/** Record keys use only `[0-9a-z-]`, so they are safe as file names and inside other keys. */
export const RECORD_KEY = /^[mrd]-[0-9]{15}-[0-9a-z]{1,40}-[0-9]{10}$/;

/** Accepts what an adapter read back, or explains why not (a corrupt record should not vanish quietly). */
export function parseQueueRecord(raw: unknown, where: string): QueueRecord {
  const record = raw as Partial<{
    kind: QueueRecord["kind"];
    key: string;
    seq: string;
    mutation: unknown;
    mutationId: unknown;
    deadLetter: unknown;
  }> | null;
  const valid =
    record !== null &&
    typeof record === "object" &&
    typeof record.key === "string" &&
    RECORD_KEY.test(record.key) &&
    typeof record.seq === "string" &&
    record.kind !== undefined &&
    record.key === recordKey(record.kind, record.seq) &&
    (record.kind === "mutation"
      ? typeof record.mutation === "object"
      : record.kind === "result"
        ? typeof record.mutationId === "string"
        : typeof record.deadLetter === "object");
  if (!valid) throw new Error(`${where}: not a cache-sync queue record; move it away to drop it`);
  return raw as QueueRecord;
}

/** The queue as version 1 stored it: one document per storage (read only, to carry it over). */
interface QueueStateV1 {
  version: 1;
  mutations: QueuedMutation[];
  deadLetters: DeadLetter[];
}

/**
 * The records of a version-1 document, or undefined when `raw` is not one. The records' keys depend
 * only on the document, so two clients converting the same document at once write the same records.
 */
export function recordsFromVersion1(raw: unknown): QueueRecord[] | undefined {
  const candidate = raw as Partial<QueueStateV1> | null;
  if (candidate?.version !== 1 || !Array.isArray(candidate.mutations) || !Array.isArray(candidate.deadLetters)) return undefined;
  const state = candidate as QueueStateV1;
  // The document's order is the queue's: times never go back, even if the clock did.
  let last = 0;
  const seq = (at: number, i: number) =>
    `${String((last = Math.max(last, Math.floor(at) || 0))).padStart(15, "0")}-v1-${String(i).padStart(10, "0")}`;
  const mutations = state.mutations.map((mutation, i): QueueRecord => {
    const s = seq(mutation.queuedAt, i);
    return { kind: "mutation", key: recordKey("mutation", s), seq: s, clientId: "v1", mutation };
  });
  last = 0;
  const deadLetters = state.deadLetters.map((deadLetter, i): QueueRecord => {
    const s = seq(deadLetter.mutation.queuedAt, state.mutations.length + i);
    return { kind: "dead-letter", key: recordKey("dead-letter", s), seq: s, clientId: "v1", deadLetter };
  });
  return [...mutations, ...deadLetters];
}
