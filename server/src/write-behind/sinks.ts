/**
 * Where flushed writes go. Both sinks are idempotent by version, so a batch delivered twice (the
 * shard crashed after the sink acknowledged it) changes nothing the second time.
 *
 * A sink fails in one of two ways. It is unavailable (a timeout, a 5xx, 408, 429, a D1 outage):
 * the batch is retried later, whole, with backoff. Or it refuses the batch for good (any other
 * 4xx, a D1 constraint error): sending the same records again will not help, so the flusher
 * looks for the record it refuses (flusher.ts) — a `SinkRefusal`.
 */
import type { WriteBehindConfig } from "@cache-sync/contracts";
import type { OutboxRecord } from "./outbox.ts";

export interface SinkBatch {
  batchId: string;
  records: OutboxRecord[];
}

export type Sink = (batch: SinkBatch) => Promise<void>;

/** The sink refused the batch for good: retrying it unchanged would be refused again. */
export class SinkRefusal extends Error {
  override readonly name = "SinkRefusal";
}

const HTTP_SINK_TIMEOUT_MS = 10_000;
/** How much of a refusing sink's answer is kept as the record's error. */
const ERROR_BODY_CHARS = 200;

// D1's "only a higher version wins": a replayed or reordered batch cannot go back in time.
const UPSERT = `INSERT INTO cache_records (namespace, key, value, version, updated_at, deleted, tags)
  VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (namespace, key) DO UPDATE SET
    value = excluded.value, version = excluded.version, updated_at = excluded.updated_at, deleted = excluded.deleted,
    tags = excluded.tags
  WHERE excluded.version > cache_records.version`;

export function d1Sink(db: D1Database): Sink {
  return async ({ records }) => {
    try {
      // One batch: a single round trip, applied as one transaction.
      await db.batch(records.map((r) => db.prepare(UPSERT).bind(r.namespace, r.key, r.value, r.version, r.updated_at, r.deleted, r.tags)));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // SQLITE_CONSTRAINT (a CHECK, NOT NULL or trigger of the main database): this data will never fit.
      if (/constraint/i.test(message)) throw new SinkRefusal(`D1 refused the batch: ${message}`);
      throw error;
    }
  };
}

export function httpSink(url: string): Sink {
  return async (batch) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(batch),
      signal: AbortSignal.timeout(HTTP_SINK_TIMEOUT_MS),
    });
    if (response.ok) {
      await response.body?.cancel();
      return;
    }
    if (refusesForGood(response.status)) {
      const text = (await response.text().catch(() => "")).slice(0, ERROR_BODY_CHARS);
      throw new SinkRefusal(`sink answered ${response.status}${text ? `: ${text}` : ""}`);
    }
    await response.body?.cancel();
    throw new Error(`sink answered ${response.status}`);
  };
}

/** RFC 9110 §15.5: a 4xx is the client's fault — except 408 (Request Timeout) and 429 (Too Many Requests), which say "later". */
function refusesForGood(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

export function sinkFor(config: WriteBehindConfig, db: D1Database): Sink {
  return config.sink === "http" ? httpSink(config.url!) : d1Sink(db);
}
