/**
 * What one client knows of the shared storage: the last listing, plus its own writes made since
 * that listing started (a listing racing a write may or may not include it; replaying the write
 * on top is harmless, since a batch's puts and removals can be applied twice).
 */
import type { DeadLetter, QueuedMutation, QueueRecord, QueueWriteBatch } from "../storage/queue-storage.ts";

export type MutationRecord = Extract<QueueRecord, { kind: "mutation" }>;
export type ResultRecord = Extract<QueueRecord, { kind: "result" }>;
export type DeadLetterRecord = Extract<QueueRecord, { kind: "dead-letter" }>;

interface LocalWrite {
  at: number;
  batch: QueueWriteBatch;
  /** Not saved (the storage failed): kept over every listing until it is saved. */
  unsaved: boolean;
}

const bySeq = (a: { seq: string }, b: { seq: string }) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0);

export class QueueView {
  private records = new Map<string, QueueRecord>();
  private clock = 0;
  private local: LocalWrite[] = [];
  private sorted: { pending: MutationRecord[]; done: string[]; deadLetters: DeadLetterRecord[] } | undefined;
  private mutationList: QueuedMutation[] | undefined;
  private deadLetterList: DeadLetter[] | undefined;

  /** Call before listing the storage; pass the number to `applyListing`. */
  listingStarts(): number {
    return ++this.clock;
  }

  /** Replaces the view with a listing, then re-applies this client's writes made since it started. */
  applyListing(startedAt: number, records: QueueRecord[]): void {
    this.records = new Map(records.map((record) => [record.key, record]));
    this.local = this.local.filter((write) => write.unsaved || write.at > startedAt);
    for (const write of this.local) this.apply(write.batch);
    this.changed();
  }

  /** A write of this client (saved, or not when `unsaved`); returns its handle for `saved`. */
  applyLocal(batch: QueueWriteBatch, unsaved = false): LocalWrite {
    const write = { at: ++this.clock, batch, unsaved };
    this.local.push(write);
    this.apply(batch);
    this.changed();
    return write;
  }

  /** An unsaved write finally reached the storage. */
  saved(write: LocalWrite): void {
    write.unsaved = false;
    write.at = ++this.clock;
  }

  /** Writes that could not be saved yet, oldest first. */
  get unsaved(): LocalWrite[] {
    return this.local.filter((write) => write.unsaved);
  }

  get(key: string): QueueRecord | undefined {
    return this.records.get(key);
  }

  /** Mutations waiting to be replayed, oldest first (one client's in the order it queued them). */
  get pending(): readonly MutationRecord[] {
    return this.sort().pending;
  }

  /** Keys of mutation records whose result or dead letter exists: replayed, just not yet removed. */
  get done(): readonly string[] {
    return this.sort().done;
  }

  get deadLetterRecords(): readonly DeadLetterRecord[] {
    return this.sort().deadLetters;
  }

  get results(): ResultRecord[] {
    return [...this.records.values()].filter((record): record is ResultRecord => record.kind === "result");
  }

  get mutations(): readonly QueuedMutation[] {
    return (this.mutationList ??= this.pending.map((record) => record.mutation));
  }

  get deadLetters(): readonly DeadLetter[] {
    return (this.deadLetterList ??= this.deadLetterRecords.map((record) => record.deadLetter));
  }

  private apply({ put = [], remove = [] }: QueueWriteBatch): void {
    for (const record of put) this.records.set(record.key, record);
    for (const key of remove) this.records.delete(key);
  }

  private changed(): void {
    this.sorted = undefined;
    this.mutationList = undefined;
    this.deadLetterList = undefined;
  }

  private sort() {
    if (this.sorted) return this.sorted;
    const pending: MutationRecord[] = [];
    const done: string[] = [];
    const deadLetters: DeadLetterRecord[] = [];
    const settled = new Set<string>();
    for (const record of this.records.values()) if (record.kind !== "mutation") settled.add(record.seq);
    for (const record of this.records.values()) {
      if (record.kind === "dead-letter") deadLetters.push(record);
      else if (record.kind === "mutation") (settled.has(record.seq) ? done.push(record.key) : pending.push(record));
    }
    return (this.sorted = { pending: pending.sort(bySeq), done, deadLetters: deadLetters.sort(bySeq) });
  }
}
