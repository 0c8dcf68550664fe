/**
 * Successful reads, summed up per isolate instead of logged one line each. A line per cache hit
 * costs more than the hit (locally ~40 % of throughput; deployed, a billed log event per request,
 * repeating what Workers observability already records per invocation), so by default each
 * isolate counts its successful reads per namespace and route/procedure — count, statuses,
 * latency histogram — and logs them as one `"event":"reads"` line per interval.
 *
 * The line is written by a timer held open with `waitUntil` by the request that opened the
 * interval, so the last interval is logged even when traffic stops. Errors and mutations never
 * come here: they keep one line each, with their request id (request-log.ts).
 */
import { BUCKET_BOUNDS_MS, emptyHistogram, quantile, record, type HistogramCounts } from "../metrics/latency-histogram.ts";

export interface ReadGroup {
  namespace?: string;
  route: string;
  procedure?: string;
}

interface Tally {
  group: ReadGroup;
  count: number;
  statuses: Record<string, number>;
  latency: HistogramCounts;
  maxMs: number;
}

export interface ReadSummaryLine {
  level: "info";
  event: "reads";
  /** The interval the counts cover (ISO times). */
  from: string;
  to: string;
  reads: (ReadGroup & {
    count: number;
    statuses: Record<string, number>;
    latencyMs: { p50: number; p90: number; p99: number; max: number };
    /** Counts per latency bucket; `bucketsMs` gives each bucket's upper bound. */
    histogram: number[];
  })[];
  bucketsMs: number[];
}

export class ReadSummary {
  private tallies = new Map<string, Tally>();
  private openedAt = 0;

  constructor(
    private readonly write: (line: string) => void = (line) => console.log(line),
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Counts one successful read. The first read of an interval gets a promise back, resolved when
   * the interval's line is written: the caller hands it to `waitUntil`, keeping the isolate alive
   * until then.
   */
  record(group: ReadGroup, status: number, durationMs: number, intervalMs: number): Promise<void> | undefined {
    const id = `${group.namespace ?? ""}\u0000${group.route}\u0000${group.procedure ?? ""}`;
    let tally = this.tallies.get(id);
    if (tally === undefined) {
      tally = { group, count: 0, statuses: {}, latency: emptyHistogram(), maxMs: 0 };
      this.tallies.set(id, tally);
    }
    tally.count++;
    tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
    record(tally.latency, durationMs);
    if (durationMs > tally.maxMs) tally.maxMs = durationMs;
    if (this.openedAt !== 0) return undefined;
    this.openedAt = this.now();
    return new Promise((resolve) => setTimeout(resolve, intervalMs)).then(() => this.emit());
  }

  /** Writes the interval's line (nothing when it counted nothing) and starts the next interval. */
  emit(): void {
    const tallies = [...this.tallies.values()];
    const from = this.openedAt;
    this.tallies = new Map();
    this.openedAt = 0;
    if (tallies.length === 0) return;
    const line: ReadSummaryLine = {
      level: "info",
      event: "reads",
      from: new Date(from).toISOString(),
      to: new Date(this.now()).toISOString(),
      reads: tallies.map(({ group, count, statuses, latency, maxMs }) => ({
        ...group,
        count,
        statuses,
        latencyMs: { p50: quantile(latency, 0.5), p90: quantile(latency, 0.9), p99: quantile(latency, 0.99), max: maxMs },
        histogram: latency,
      })),
      bucketsMs: BUCKET_BOUNDS_MS.filter(Number.isFinite),
    };
    this.write(JSON.stringify(line));
  }
}

/** One per isolate: that is what it sums over. */
export const readSummary = new ReadSummary();
