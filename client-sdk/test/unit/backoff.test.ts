// Exponential backoff with jitter: the pure function (random injected), then the offline queue's
// use of it, timed at the stand-in server, while the server keeps refusing replays.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createCacheClient } from "../../src/index.ts";
import { backoffDelay } from "../../src/util/backoff.ts";
import { startFakeCacheServer, type FakeCacheServer } from "../support/fake-cache-server.ts";

const TOP = () => 0.999_999_9; // Math.random's largest values
const BOTTOM = () => 0;
const MIDDLE = () => 0.5;

describe("backoffDelay", () => {
  it("doubles per attempt from initialDelayMs (defaults 500 ms, ×2) at the top of the window", () => {
    expect(Array.from({ length: 7 }, (_, attempt) => backoffDelay(attempt, {}, TOP))).toEqual([
      500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000,
    ]);
  });

  it("is capped at maxDelayMs (default 30 s), however many attempts, and stays finite", () => {
    for (const attempt of [6, 7, 10, 50, 1_000, 1_000_000]) {
      expect(backoffDelay(attempt, {}, TOP)).toBe(30_000);
      expect(backoffDelay(attempt, {}, Math.random)).toBeLessThanOrEqual(30_000);
    }
    expect(backoffDelay(20, { initialDelayMs: 100, maxDelayMs: 1_234 }, TOP)).toBe(1_234);
  });

  it("honours initialDelayMs, factor and maxDelayMs", () => {
    const options = { initialDelayMs: 100, factor: 3, maxDelayMs: 5_000 };
    expect(Array.from({ length: 6 }, (_, attempt) => backoffDelay(attempt, options, TOP))).toEqual([100, 300, 900, 2_700, 5_000, 5_000]);
  });

  it("jitters within [cap/2, cap]: the random value picks the point in that window", () => {
    const options = { initialDelayMs: 1_000, maxDelayMs: 60_000 };
    expect(backoffDelay(0, options, BOTTOM)).toBe(500);
    expect(backoffDelay(0, options, MIDDLE)).toBe(750);
    expect(backoffDelay(0, options, TOP)).toBe(1_000);
    expect(backoffDelay(3, options, BOTTOM)).toBe(4_000);
    expect(backoffDelay(3, options, MIDDLE)).toBe(6_000);
    expect(backoffDelay(3, options, TOP)).toBe(8_000);
    // Capped attempts still jitter, inside [max/2, max].
    expect(backoffDelay(30, options, BOTTOM)).toBe(30_000);
    expect(backoffDelay(30, options, TOP)).toBe(60_000);
  });

  it("with Math.random (the default), delays spread over the window instead of repeating one value", () => {
    const random = vi.spyOn(Math, "random");
    try {
      const samples = Array.from({ length: 500 }, () => backoffDelay(4, { initialDelayMs: 100 })); // cap 1600
      expect(random).toHaveBeenCalledTimes(500);
      for (const delay of samples) {
        expect(delay).toBeGreaterThanOrEqual(800);
        expect(delay).toBeLessThanOrEqual(1_600);
      }
      expect(new Set(samples).size).toBeGreaterThan(100);
      expect(samples.some((d) => d < 1_000)).toBe(true);
      expect(samples.some((d) => d > 1_400)).toBe(true);
    } finally {
      random.mockRestore();
    }
  });

  it("grows on average: every window lies above half the next one", () => {
    // [cap/2, cap] then [cap, 2cap]: a later attempt is never shorter than an earlier one's midpoint.
    for (let attempt = 0; attempt < 5; attempt++) {
      expect(backoffDelay(attempt + 1, {}, BOTTOM)).toBeGreaterThanOrEqual(backoffDelay(attempt, {}, TOP));
    }
  });
});

describe("the offline queue's replay backoff", () => {
  let server: FakeCacheServer;
  beforeAll(async () => {
    server = await startFakeCacheServer();
  });
  afterAll(() => server.close());

  it("waits longer after each refused replay, although /health keeps answering", async () => {
    // /health answers 200 throughout (an overloaded server): only the replays fail.
    const cache = createCacheClient({ url: server.url, network: null, retry: { initialDelayMs: 60, factor: 2, maxDelayMs: 5_000 } });
    try {
      server.failNext(6, "SERVICE_UNAVAILABLE"); // the first send and five replays
      expect((await cache.set("backoff", "v")).queued).toBe(true);
      await vi.waitFor(() => expect(server.values.get("default:backoff")).toBeDefined(), { timeout: 10_000, interval: 20 });
      const attempts = server.calls.filter((c) => c.procedure === "set").map((c) => c.at);
      expect(attempts).toHaveLength(7);
      const gaps = attempts.slice(1).map((at, i) => at - attempts[i]!);
      // Windows: [30,60], [60,120], [120,240], [240,480], [480,960], [960,1920] ms (+ probe and send time).
      // Each gap must exceed the one two attempts before it (that window lies wholly above), and the
      // last gaps must be past the first windows entirely: a reset backoff would keep them all ~30-60 ms.
      for (let i = 2; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThan(gaps[i - 2]!);
      expect(gaps.at(-1)).toBeGreaterThanOrEqual(960);
      expect(gaps.at(-2)).toBeGreaterThanOrEqual(480);
    } finally {
      await cache.close();
    }
  });

  it("starts from the first delay again once a replay got through", async () => {
    const cache = createCacheClient({ url: server.url, network: null, retry: { initialDelayMs: 40, factor: 2, maxDelayMs: 2_000 } });
    try {
      server.calls.length = 0;
      server.failNext(4, "SERVICE_UNAVAILABLE");
      await cache.set("reset-1", "v");
      await vi.waitFor(() => expect(server.values.get("default:reset-1")).toBeDefined(), { timeout: 10_000, interval: 20 });
      // A new outage after the recovery: its first retry comes after the first window again.
      server.calls.length = 0;
      server.failNext(1, "SERVICE_UNAVAILABLE");
      await cache.set("reset-2", "v");
      await vi.waitFor(() => expect(server.values.get("default:reset-2")).toBeDefined(), { timeout: 10_000, interval: 20 });
      const attempts = server.calls.filter((c) => c.procedure === "set").map((c) => c.at);
      expect(attempts).toHaveLength(2);
      expect(attempts[1]! - attempts[0]!).toBeLessThan(200);
    } finally {
      await cache.close();
    }
  });
});
