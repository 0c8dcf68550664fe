/**
 * Load generation with autocannon, from this process (the server runs in wrangler's processes),
 * against 127.0.0.1 only and bounded by a duration or a request count. Latencies are recorded
 * from autocannon's per-response timings (hrtime, sub-millisecond) rather than its histogram,
 * which rounds to whole milliseconds: the baselines answer in well under one.
 */
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { percentile } from "./stats.ts";

export interface LoadSpec {
  baseUrl: string;
  connections: number;
  /** Run for this many seconds… */
  seconds?: number;
  /** …or until this many requests have been answered. */
  amount?: number;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  /** The path of every request, or a function called for each one. */
  path: string | (() => string);
  /** The body of each request (POST). */
  body?: () => string;
  /** Told of every answer, in completion order (needs the body, so only set it where used). */
  onAnswer?: (answer: Answer) => void;
  /** The status whose answers are measured (and counted as `requests`); default any 2xx. */
  measureStatus?: number;
}

export interface Answer {
  status: number;
  body: string;
  latencyMs: number;
  /** When the answer completed (epoch ms, fractional: comparable with other processes' clocks). */
  at: number;
}

export interface LoadRun {
  /** 2xx answers, or those of `measureStatus` (the only ones in the latency figures). */
  requests: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
}

export async function runLoad(spec: LoadSpec): Promise<LoadRun> {
  if (!/^http:\/\/127\.0\.0\.1:/.test(spec.baseUrl)) throw new Error(`load goes to 127.0.0.1 only, not ${spec.baseUrl}`);
  if (spec.seconds === undefined && spec.amount === undefined) throw new Error("a load needs seconds or amount");
  const latencies: number[] = [];
  let non2xx = 0;
  let lastBody = "";
  const { path, body, onAnswer } = spec;
  const request: autocannon.Request = {
    method: spec.method ?? "GET",
    path: typeof path === "string" ? path : "/",
  };
  if (typeof path === "function" || body) {
    request.setupRequest = (req) => {
      if (typeof path === "function") req.path = path();
      if (body) req.body = body();
      return req;
    };
  }
  // autocannon calls onResponse synchronously just before it emits "response" for the same answer.
  if (onAnswer) request.onResponse = (_status, answerBody) => (lastBody = answerBody);

  const started = performance.now();
  let instance!: autocannon.Instance;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: spec.baseUrl,
        connections: spec.connections,
        ...(spec.amount !== undefined ? { amount: spec.amount } : { duration: spec.seconds! }),
        headers: spec.headers ?? {},
        requests: [request],
        timeout: 30,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  const measured = (status: number) => (spec.measureStatus === undefined ? status >= 200 && status < 300 : status === spec.measureStatus);
  instance.on("response", (_client, status, _bytes, latencyMs) => {
    if (measured(status)) latencies.push(latencyMs);
    else non2xx++;
    onAnswer?.({ status, body: lastBody, latencyMs, at: performance.timeOrigin + performance.now() });
  });
  const result = await finished;
  const seconds = (performance.now() - started) / 1_000;
  return {
    requests: latencies.length,
    non2xx,
    errors: result.errors + result.timeouts,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
  };
}
