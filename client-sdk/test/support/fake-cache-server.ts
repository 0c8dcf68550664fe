/**
 * A stand-in cache server speaking the real wire contract (tRPC over HTTP, contracts' schemas),
 * with an in-memory store, a scripted invalidation job, and fault injection. For unit tests of
 * behaviour the real server cannot produce on demand (a job at 50 %, a 503 on the third call).
 * The coordinator is not built yet, so `done()` is tested here as well as end to end later.
 */
import { createServer } from "node:http";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { initTRPC, TRPCError } from "@trpc/server";
import {
  deleteInput,
  flushInput,
  getInput,
  invalidateInput,
  setInput,
  statsInput,
  statusInput,
  warmInput,
  type InvalidationStatus,
} from "@cache-sync/contracts";
import type { AddressInfo } from "node:net";

/** The tRPC error codes a test can inject (each carries its HTTP status: 429, 504, 408, 403, …). */
export type FaultCode = TRPCError["code"];

export interface FakeCacheServer {
  url: string;
  /** Every mutation that reached a procedure, in arrival order (replays included). */
  received: { procedure: string; input: Record<string, unknown> }[];
  /** Every procedure call as it arrived (before faults and delays), with `performance.now()` time. */
  calls: { procedure: string; at: number }[];
  /** Every injected failure as it was served. */
  faults: { procedure: string; code: FaultCode }[];
  /** Next `count` requests answer this HTTP status (as a tRPC error) before reaching a procedure. */
  failNext(count: number, code: FaultCode): void;
  /** The next calls fail with these codes, one call each, in order (replaces pending failures). */
  failSequence(codes: FaultCode[]): void;
  /** The next `count` calls wait `ms` before being handled (an overloaded or far-away server). */
  delayNext(count: number, ms: number): void;
  /** How a new job's progress unfolds, one entry per `status` poll. */
  scriptJob(steps: Array<Partial<InvalidationStatus>>): void;
  values: Map<string, { value: unknown; version: number }>;
  close(): Promise<void>;
}

/** Extra files the server answers with (a test page and its script, so the page shares our origin). */
export type StaticFiles = Record<string, { type: string; body: string }>;

export async function startFakeCacheServer(files: StaticFiles = {}): Promise<FakeCacheServer> {
  const t = initTRPC.create({ isDev: false });
  const values = new Map<string, { value: unknown; version: number }>();
  const applied = new Map<string, unknown>();
  const received: FakeCacheServer["received"] = [];
  const calls: FakeCacheServer["calls"] = [];
  const faults: FakeCacheServer["faults"] = [];
  let failures: FaultCode[] = [];
  let delays = { count: 0, ms: 0 };
  let script: Array<Partial<InvalidationStatus>> = [{ state: "completed", progress: 100 }];
  const jobs = new Map<string, { steps: Array<Partial<InvalidationStatus>>; polls: number; base: InvalidationStatus }>();

  const injected = t.middleware(async ({ next, path }) => {
    calls.push({ procedure: path, at: performance.now() });
    if (delays.count > 0) {
      delays.count--;
      await new Promise((resolve) => setTimeout(resolve, delays.ms));
    }
    const code = failures.shift();
    if (code !== undefined) {
      faults.push({ procedure: path, code });
      throw new TRPCError({ code, message: "injected failure" });
    }
    return next();
  });
  const procedure = t.procedure.use(injected);
  // The server applies a mutation once per idempotency key and answers replays from the record.
  const once = <T>(name: string, input: { idempotencyKey?: string | undefined }, work: () => T): T => {
    received.push({ procedure: name, input: input as Record<string, unknown> });
    if (input.idempotencyKey && applied.has(input.idempotencyKey)) return applied.get(input.idempotencyKey) as T;
    const result = work();
    if (input.idempotencyKey) applied.set(input.idempotencyKey, result);
    return result;
  };
  const id = (namespace: string, key: string) => `${namespace}:${key}`;

  const router = t.router({
    get: procedure.input(getInput).query(({ input }) => {
      const entry = values.get(id(input.namespace, input.key));
      return entry
        ? {
            found: true,
            value: entry.value as never,
            state: "fresh" as const,
            source: "memory" as const,
            version: entry.version,
            ageMs: 0,
            tags: [],
          }
        : { found: false, value: null, state: "miss" as const, source: null, version: null, ageMs: null, tags: [] };
    }),
    set: procedure.input(setInput).mutation(({ input }) =>
      once("set", input, () => {
        const version = (values.get(id(input.namespace, input.key))?.version ?? 0) + 1;
        values.set(id(input.namespace, input.key), { value: input.value, version });
        return { version, freshUntil: Date.now() + 60_000, staleUntil: Date.now() + 120_000 };
      }),
    ),
    delete: procedure
      .input(deleteInput)
      .mutation(({ input }) => once("delete", input, () => ({ deleted: values.delete(id(input.namespace, input.key)) }))),
    invalidate: procedure.input(invalidateInput).mutation(({ input }) =>
      once("invalidate", input, () => {
        const jobId = `job-${jobs.size + 1}`;
        const base: InvalidationStatus = {
          id: jobId,
          namespace: input.namespace,
          state: "queued",
          progress: 0,
          totalTargets: 4,
          completedTargets: 0,
          failedTargets: 0,
          invalidatedKeys: 0,
          errors: [],
          createdAt: Date.now(),
          startedAt: null,
          finishedAt: null,
        };
        jobs.set(jobId, { steps: script, polls: 0, base });
        return base;
      }),
    ),
    status: procedure.input(statusInput).query(({ input }) => {
      const job = jobs.get(input.id);
      if (!job) throw new TRPCError({ code: "NOT_FOUND", message: `no job ${input.id}` });
      const step = job.steps[Math.min(job.polls, job.steps.length - 1)]!;
      job.polls++;
      return { ...job.base, ...step };
    }),
    stats: procedure.input(statsInput).query(({ input }) => ({ namespace: input.namespace })),
    flush: procedure.input(flushInput).mutation(() => ({ flushed: 0, pending: 0 })),
    warm: procedure.input(warmInput).mutation(({ input }) => {
      const jobId = `job-${jobs.size + 1}`;
      const base: InvalidationStatus = {
        id: jobId,
        namespace: input.namespace,
        state: "queued",
        progress: 0,
        totalTargets: input.keys.length,
        completedTargets: 0,
        failedTargets: 0,
        invalidatedKeys: 0,
        errors: [],
        createdAt: Date.now(),
        startedAt: null,
        finishedAt: null,
      };
      jobs.set(jobId, { steps: script, polls: 0, base });
      return base;
    }),
  });

  const trpc = createHTTPHandler({ router, basePath: "/trpc/" });
  const server = createServer((req, res) => {
    const file = files[req.url ?? ""];
    if (file) res.writeHead(200, { "content-type": file.type }).end(file.body);
    else if (req.url === "/health") res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    else void trpc(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    calls,
    faults,
    values,
    failNext: (count, code) => (failures = Array.from({ length: count }, () => code)),
    failSequence: (codes) => (failures = [...codes]),
    delayNext: (count, ms) => (delays = { count, ms }),
    scriptJob: (steps) => (script = steps),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
