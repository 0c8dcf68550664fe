// done() polls fast at first and slower later: the waits between `status` calls, measured with
// a fake clock (exact schedule, through a fake RPC service binding so no real timers or sockets are
// involved) and against the stand-in HTTP server with the real clock (the shape of the schedule).
import { afterEach, describe, expect, it, vi } from "vitest";
import { createCacheClient, type CacheRpcBinding, type InvalidationStatus, type RpcOutcome } from "../../src/index.ts";
import { startFakeCacheServer } from "../support/fake-cache-server.ts";

const baseStatus = (id: string): InvalidationStatus => ({
  id,
  namespace: "default",
  state: "queued",
  progress: 0,
  totalTargets: 10,
  completedTargets: 0,
  failedTargets: 0,
  invalidatedKeys: 0,
  errors: [],
  createdAt: 0,
  startedAt: null,
  finishedAt: null,
});

/** An RPC binding whose job finishes after `polls` status calls; records when each poll came. */
function fakeBinding(polls: number) {
  const pollTimes: number[] = [];
  const ok = <T>(value: T): Promise<RpcOutcome<T>> => Promise.resolve({ ok: true, value });
  const unused = () => Promise.reject(new Error("not used by this test"));
  const binding: CacheRpcBinding = {
    get: unused,
    set: unused,
    delete: unused,
    stats: unused,
    flush: unused,
    warm: unused,
    deadLetters: unused,
    replayDeadLetters: unused,
    dropDeadLetters: unused,
    namespaces: unused,
    jobs: unused,
    invalidate: () => ok(baseStatus("job-1")),
    status: ({ id }) => {
      pollTimes.push(Date.now());
      const n = pollTimes.length;
      const progress = Math.min(100, Math.round((n / polls) * 100));
      return ok({ ...baseStatus(id), state: n >= polls ? "completed" : "processing", progress, completedTargets: Math.min(10, n) });
    },
  };
  return { binding, pollTimes };
}

const gapsBetween = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);

describe("done() polling schedule (fake clock)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("waits 100 ms first, then 1.5× longer each time, up to 2 s (the defaults)", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const { binding, pollTimes } = fakeBinding(12);
    const cache = createCacheClient({ binding, network: null });
    const job = await cache.invalidate({ tags: ["t"] });
    const started = Date.now();
    const done = job.done();
    await vi.runAllTimersAsync();
    expect(await done).toMatchObject({ state: "completed", progress: 100 });
    // The wait before each poll: from the accepted status to poll 1, then between polls.
    const waits = gapsBetween([started, ...pollTimes]);
    expect(waits).toEqual([100, 150, 225, 338, 507, 761, 1_142, 1_713, 2_000, 2_000, 2_000, 2_000]);
    await cache.close();
  });

  it("follows initialIntervalMs and maxIntervalMs", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const { binding, pollTimes } = fakeBinding(8);
    const cache = createCacheClient({ binding, network: null });
    const job = await cache.invalidate({ tags: ["t"] });
    const started = Date.now();
    const done = job.done({ initialIntervalMs: 40, maxIntervalMs: 200 });
    await vi.runAllTimersAsync();
    await done;
    expect(gapsBetween([started, ...pollTimes])).toEqual([40, 60, 90, 135, 200, 200, 200, 200]);
    await cache.close();
  });

  it("never waits less than before: the schedule only slows down, fast at first", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const { binding, pollTimes } = fakeBinding(20);
    const cache = createCacheClient({ binding, network: null });
    const job = await cache.invalidate({ tags: ["t"] });
    const started = Date.now();
    const done = job.done({ initialIntervalMs: 10, maxIntervalMs: 5_000 });
    await vi.runAllTimersAsync();
    await done;
    const waits = gapsBetween([started, ...pollTimes]);
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThanOrEqual(waits[i - 1]!);
    expect(waits[0]).toBe(10);
    expect(waits.at(-1)).toBe(5_000);
    // Early polls are cheap (a quick job is seen quickly); the first five take under 150 ms together.
    expect(waits.slice(0, 5).reduce((a, b) => a + b, 0)).toBeLessThan(150);
    await cache.close();
  });
});

describe("done() polling schedule (real clock, HTTP)", () => {
  it("polls the server fast at first and slower later, capped at maxIntervalMs", async () => {
    const server = await startFakeCacheServer();
    const cache = createCacheClient({ url: server.url, network: null });
    try {
      server.scriptJob([
        ...Array.from({ length: 9 }, (_, i) => ({ state: "processing" as const, progress: (i + 1) * 10 })),
        { state: "completed", progress: 100 },
      ]);
      const job = await cache.invalidate({ tags: ["t"] });
      server.calls.length = 0;
      const seen: number[] = [];
      const final = await job.done({ initialIntervalMs: 20, maxIntervalMs: 160, onProgress: (s) => seen.push(s.progress) });
      expect(final.state).toBe("completed");
      expect(seen).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
      const polls = server.calls.filter((c) => c.procedure === "status").map((c) => c.at);
      expect(polls).toHaveLength(10);
      // Planned waits: 20, 30, 45, 68, 102, 153, 160, 160, 160 ms (plus request time).
      const gaps = gapsBetween(polls);
      expect(gaps[0]).toBeLessThan(90);
      expect(gaps[1]).toBeLessThan(110);
      for (const gap of gaps.slice(-3)) {
        expect(gap).toBeGreaterThanOrEqual(155);
        expect(gap).toBeLessThan(400);
      }
      const early = (gaps[0]! + gaps[1]!) / 2;
      const late = gaps.slice(-3).reduce((a, b) => a + b, 0) / 3;
      expect(late).toBeGreaterThan(early * 2);
    } finally {
      await cache.close();
      await server.close();
    }
  });
});
