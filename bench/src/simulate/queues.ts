/**
 * One Durable Object played forward as a single FIFO server: it runs one request at a time
 * ("each individual Object is inherently single-threaded", Cloudflare's Durable Objects limits
 * page), so its requests queue. Three shapes of traffic:
 *
 * - open: Poisson arrivals (a shard behind many independent readers), Lindley's recursion;
 * - closed: C clients, each sending its next request when the last one is answered (the bench's
 *   hot-key series);
 * - herd: N readers of one cold key at once, one origin load shared by all (the bench's herd).
 */

/** Exponential sample with the given rate (mean 1/rate). */
export function exponential(random: () => number, rate: number): number {
  return -Math.log(1 - random()) / rate;
}

/** Nearest-rank percentile (p in 0..100) of a sample; sorts a copy. */
export function percentileOf(samples: Float64Array, p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export interface OpenQueue {
  /** Requests/s arriving (Poisson). */
  arrivalRate: number;
  /** Requests/s the object completes when busy: 1 / mean service time. */
  serviceRate: number;
  /** Arrivals to simulate. */
  arrivals: number;
  random: () => number;
  /** Service times: exponential (the conservative default) or all equal. */
  service?: "exponential" | "constant";
}

/**
 * Each arrival's queueing delay in seconds (time waiting before its service starts), by Lindley's
 * recursion W(n+1) = max(0, W(n) + S(n) − A(n+1)). Above utilisation 1 the delays grow without
 * bound; callers report that as overloaded rather than read a percentile of it.
 */
export function openQueueDelays({ arrivalRate, serviceRate, arrivals, random, service = "exponential" }: OpenQueue): Float64Array {
  const delays = new Float64Array(arrivals);
  let wait = 0;
  for (let n = 0; n < arrivals; n++) {
    delays[n] = wait;
    const serviceTime = service === "constant" ? 1 / serviceRate : exponential(random, serviceRate);
    wait = Math.max(0, wait + serviceTime - exponential(random, arrivalRate));
  }
  return delays;
}

export interface ClosedLoop {
  clients: number;
  serviceRate: number;
  requests: number;
  random: () => number;
  /** Time a client spends between an answer and its next request (transport, the load generator). */
  thinkSeconds?: number;
}

/** Throughput (requests/s) and latency percentiles (seconds) of C clients looping on one object. */
export function closedLoop({ clients, serviceRate, requests, random, thinkSeconds = 0 }: ClosedLoop): {
  throughput: number;
  p50: number;
  p99: number;
} {
  // Clients re-enter in the order they were answered (think time is constant), so a plain FIFO of
  // "ready at" times is the whole state.
  const ready: number[] = Array.from({ length: clients }, () => 0);
  const latencies = new Float64Array(requests);
  let head = 0;
  let free = 0;
  for (let n = 0; n < requests; n++) {
    const sent = ready[head++]!;
    const start = Math.max(free, sent);
    free = start + exponential(random, serviceRate);
    latencies[n] = free - sent;
    ready.push(free + thinkSeconds);
  }
  return { throughput: requests / free, p50: percentileOf(latencies, 50), p99: percentileOf(latencies, 99) };
}

export interface Herd {
  readers: number;
  /** Requests/s the object (and the path to it) completes: each reader's request costs 1/serviceRate. */
  serviceRate: number;
  originLatencySeconds: number;
  /**
   * The share of a request's work done before it reaches the shared load (routing, auth, the
   * object call); the rest (the answer) runs after the value is there. Default one half.
   */
  preShare?: number;
  /** Readers arrive spread evenly over this long (0: all at once). */
  arrivalSpreadSeconds?: number;
}

/**
 * Every reader's latency (seconds) for a herd on one cold key: the first reader's request starts the
 * one origin load; every reader's answer waits for it; all work is served first come, first served
 * at serviceRate, deterministic (each reader's request is the same work).
 */
export function herdLatencies({
  readers,
  serviceRate,
  originLatencySeconds,
  preShare = 0.5,
  arrivalSpreadSeconds = 0,
}: Herd): Float64Array {
  const arrival = (i: number) => (readers > 1 ? (arrivalSpreadSeconds * i) / (readers - 1) : 0);
  const queue = new MinQueue();
  for (let i = 0; i < readers; i++) queue.push(arrival(i), i, "pre");
  const latencies = new Float64Array(readers);
  let now = 0;
  let loadedAt = Number.POSITIVE_INFINITY;
  while (queue.size > 0) {
    const job = queue.pop();
    now = Math.max(now, job.at);
    if (job.phase === "pre") {
      now += preShare / serviceRate;
      // The first request to reach the object starts the load; later ones join it (coalesced).
      if (loadedAt === Number.POSITIVE_INFINITY) loadedAt = now + originLatencySeconds;
      queue.push(Math.max(now, loadedAt), job.reader, "post");
    } else {
      now += (1 - preShare) / serviceRate;
      latencies[job.reader] = now - arrival(job.reader);
    }
  }
  return latencies;
}

interface QueuedJob {
  at: number;
  seq: number;
  reader: number;
  phase: "pre" | "post";
}

/** First come, first served: a binary heap ordered by enqueue time, then by enqueue order. */
class MinQueue {
  private readonly items: QueuedJob[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  push(at: number, reader: number, phase: QueuedJob["phase"]): void {
    const items = this.items;
    items.push({ at, seq: this.seq++, reader, phase });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): QueuedJob {
    const items = this.items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && before(items[left]!, items[smallest]!)) smallest = left;
        if (right < items.length && before(items[right]!, items[smallest]!)) smallest = right;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest]!, items[i]!];
        i = smallest;
      }
    }
    return top;
  }
}

const before = (a: QueuedJob, b: QueuedJob) => a.at < b.at || (a.at === b.at && a.seq < b.seq);
