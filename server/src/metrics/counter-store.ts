/**
 * Keeps a shard's counters and latency histogram across evictions and restarts. They live in
 * memory and are written back at most every PERSIST_EVERY_MS (and from the alarm), so the hit
 * path pays one SQLite write per few seconds, not one per request. A crash loses at most that
 * window of counts — acceptable for statistics, never for data.
 */
import type { HistogramCounts } from "./latency-histogram.ts";
import type { ShardCounters } from "./shard-metrics.ts";

export const PERSIST_EVERY_MS = 5_000;

export class CounterStore {
  private lastSaved = 0;

  /** `sql` holds the `counters` table (shard/schema.ts). */
  constructor(private readonly sql: SqlStorage) {}

  /** Adds the saved counts into fresh in-memory counters (at start-up). */
  restore(counters: ShardCounters, latency: HistogramCounts): void {
    for (const { name, value } of this.sql.exec<{ name: string; value: number }>(`SELECT name, value FROM counters`)) {
      if (name.startsWith("latency_")) {
        const bucket = Number(name.slice("latency_".length));
        if (bucket < latency.length) latency[bucket] = value;
      } else if (name in counters) {
        counters[name as keyof ShardCounters] = value;
      }
    }
  }

  /** Saves when the last save is older than PERSIST_EVERY_MS (or always, with `force`). */
  save(counters: ShardCounters, latency: HistogramCounts, options: { force?: boolean } = {}): void {
    const now = Date.now();
    if (!options.force && now - this.lastSaved < PERSIST_EVERY_MS) return;
    this.lastSaved = now;
    const rows: [string, number][] = [
      ...(Object.entries(counters) as [string, number][]),
      ...latency.map((count, i): [string, number] => [`latency_${i}`, count]),
    ];
    for (const [name, value] of rows) {
      this.sql.exec(
        `INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
        name,
        value,
      );
    }
  }
}
