/**
 * Where flushed writes go. Both sinks are idempotent by version, so a batch delivered twice (the
 * shard crashed after the sink acknowledged it) changes nothing the second time.
 */
import type { WriteBehindConfig } from "@cache-sync/contracts";
import type { OutboxRecord } from "./outbox.ts";

export interface SinkBatch {
  batchId: string;
  records: OutboxRecord[];
}

export type Sink = (batch: SinkBatch) => Promise<void>;

const HTTP_SINK_TIMEOUT_MS = 10_000;

// D1's "only a higher version wins": a replayed or reordered batch cannot go back in time.
const UPSERT = `INSERT INTO cache_records (namespace, key, value, version, updated_at, deleted, tags)
  VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (namespace, key) DO UPDATE SET
    value = excluded.value, version = excluded.version, updated_at = excluded.updated_at, deleted = excluded.deleted,
    tags = excluded.tags
  WHERE excluded.version > cache_records.version`;

export function d1Sink(db: D1Database): Sink {
  return async ({ records }) => {
    // One batch: a single round trip, applied as one transaction.
    await db.batch(
      records.map((r) => db.prepare(UPSERT).bind(r.namespace, r.key, r.value, r.version, r.updated_at, r.deleted, r.tags)),
    );
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
    await response.body?.cancel();
    if (!response.ok) throw new Error(`sink answered ${response.status}`);
  };
}

export function sinkFor(config: WriteBehindConfig, db: D1Database): Sink {
  return config.sink === "http" ? httpSink(config.url!) : d1Sink(db);
}
