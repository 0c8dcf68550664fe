/**
 * What one client knows of the shared storage: the last listing, plus its own writes made since
 * that listing started (a listing racing a write may or may not include it; replaying the write
 * on top is harmless, since a batch's puts and removals can be applied twice).
 */
import { recordKey, type DeadLetter, type QueuedMutation, type QueueRecord, type QueueWriteBatch } from "../storage/queue-storage.ts";

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

/** The index of `seq` in a list sorted by seq, or where it would go. */
function position(list: readonly { seq: string }[], seq: string): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (list[middle]!.seq < seq) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Puts `record` into (or takes the record of its seq out of) a list sorted by seq. */
function place<T extends { seq: string }>(list: T[], seq: string, record: T | undefined): void {
  const at = position(list, seq);
  const present = list[at]?.seq === seq;
  if (record && !present) list.splice(at, 0, record);
  else if (record && present) list[at] = record;
  else if (!record && present) list.splice(at, 1);
}

export class QueueView {
  private records = new Map<string, QueueRecord>();
  private clock = 0;
  private local: LocalWrite[] = [];
  // Kept up to date write by write (a replay of 10,000 entries must not re-sort 10,000 times).
  private pendingList: MutationRecord[] = [];
  private deadLetterRecordList: DeadLetterRecord[] = [];
  private doneKeys = new Set<string>();
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
    for (const write of this.local) for (const record of write.batch.put ?? []) this.records.set(record.key, record);
    for (const write of this.local) for (const key of write.batch.remove ?? []) this.records.delete(key);
    this.rebuild();
  }

  /** A write of this client (saved, or not when `unsaved`); returns its handle for `saved`. */
  applyLocal(batch: QueueWriteBatch, unsaved = false): LocalWrite {
    const write = { at: ++this.clock, batch, unsaved };
    this.local.push(write);
    const touched = new Set<string>();
    for (const record of batch.put ?? []) {
      this.records.set(record.key, record);
      touched.add(record.seq);
    }
    for (const key of batch.remove ?? []) {
      const record = this.records.get(key);
      this.records.delete(key);
      if (record) touched.add(record.seq);
    }
    for (const seq of touched) this.reconcile(seq);
    this.mutationList = undefined;
    this.deadLetterList = undefined;
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
    return this.pendingList;
  }

  /** Keys of mutation records whose result or dead letter exists: replayed, just not yet removed. */
  get done(): readonly string[] {
    return [...this.doneKeys];
  }

  get deadLetterRecords(): readonly DeadLetterRecord[] {
    return this.deadLetterRecordList;
  }

  get results(): ResultRecord[] {
    return [...this.records.values()].filter((record): record is ResultRecord => record.kind === "result");
  }

  get mutations(): readonly QueuedMutation[] {
    return (this.mutationList ??= this.pendingList.map((record) => record.mutation));
  }

  get deadLetters(): readonly DeadLetter[] {
    return (this.deadLetterList ??= this.deadLetterRecordList.map((record) => record.deadLetter));
  }

  /** Where the records of one seq belong now: pending, done (replayed, not yet removed), dead letters. */
  private reconcile(seq: string): void {
    const mutation = this.records.get(recordKey("mutation", seq)) as MutationRecord | undefined;
    const deadLetter = this.records.get(recordKey("dead-letter", seq)) as DeadLetterRecord | undefined;
    const settled = deadLetter !== undefined || this.records.has(recordKey("result", seq));
    place(this.pendingList, seq, settled ? undefined : mutation);
    if (mutation && settled) this.doneKeys.add(mutation.key);
    else this.doneKeys.delete(recordKey("mutation", seq));
    place(this.deadLetterRecordList, seq, deadLetter);
  }

  private rebuild(): void {
    const settled = new Set<string>();
    for (const record of this.records.values()) if (record.kind !== "mutation") settled.add(record.seq);
    this.pendingList = [];
    this.deadLetterRecordList = [];
    this.doneKeys = new Set();
    for (const record of this.records.values()) {
      if (record.kind === "dead-letter") this.deadLetterRecordList.push(record);
      else if (record.kind === "mutation") settled.has(record.seq) ? this.doneKeys.add(record.key) : this.pendingList.push(record);
    }
    this.pendingList.sort(bySeq);
    this.deadLetterRecordList.sort(bySeq);
    this.mutationList = undefined;
    this.deadLetterList = undefined;
  }
}
