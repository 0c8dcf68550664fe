// Which failures the offline queue keeps (to replay later) and which it dead-letters: "try again
// later" answers (408, 429, 502, 503, 504, a timeout, no answer) queue; a request the server
// rejects for good (400, 401, 403, 404, 409, 413, 422) goes to the dead-letter list, never retried.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCacheClient, type CacheClient, type CacheClientOptions, type CacheEvent } from "../../src/index.ts";
import { startFakeCacheServer, type FakeCacheServer, type FaultCode } from "../support/fake-cache-server.ts";

let server: FakeCacheServer;
let cache: CacheClient;
let events: CacheEvent[];

beforeAll(async () => {
  server = await startFakeCacheServer();
});
afterAll(() => server.close());
afterEach(async () => {
  await cache?.close();
  server.failNext(0, "SERVICE_UNAVAILABLE");
  server.delayNext(0, 0);
  server.received.length = 0;
  server.faults.length = 0;
});

let keyCounter = 0;
const freshKey = (name: string) => `${name}-${++keyCounter}`;

const client = (options: Partial<CacheClientOptions> = {}) => {
  events = [];
  cache = createCacheClient({
    url: server.url,
    network: null,
    retry: { initialDelayMs: 5, maxDelayMs: 20 },
    ...options,
  } as CacheClientOptions);
  cache.subscribe((e) => events.push(e));
  return cache;
};

/** "Try again later": the mutation must wait in the queue. */
const RETRYABLE: Array<{ code: FaultCode; status: number }> = [
  { code: "TOO_MANY_REQUESTS", status: 429 },
  { code: "GATEWAY_TIMEOUT", status: 504 },
  { code: "TIMEOUT", status: 408 },
  { code: "SERVICE_UNAVAILABLE", status: 503 },
  { code: "BAD_GATEWAY", status: 502 },
];

/** "This request is wrong": replaying it cannot help. */
const PERMANENT: Array<{ code: FaultCode; status: number }> = [
  { code: "BAD_REQUEST", status: 400 },
  { code: "UNAUTHORIZED", status: 401 },
  { code: "FORBIDDEN", status: 403 },
  { code: "NOT_FOUND", status: 404 },
  { code: "CONFLICT", status: 409 },
  { code: "PAYLOAD_TOO_LARGE", status: 413 },
  { code: "UNPROCESSABLE_CONTENT", status: 422 },
];

describe.each(RETRYABLE)("a $status ($code)", ({ code, status }) => {
  it("met by a new set queues it (not dead-lettered) and the replay applies it once", async () => {
    client();
    const key = freshKey(`direct-${status}`);
    server.failNext(1, code);
    const outcome = await cache.set(key, "v");
    expect(outcome.queued).toBe(true);
    expect(cache.pending).toBe(1);
    expect(cache.status).toBe("offline");
    expect(cache.deadLetters).toHaveLength(0);
    expect(server.faults).toEqual([{ procedure: "set", code }]);
    await cache.sync({ timeoutMs: 5_000 });
    expect(cache.pending).toBe(0);
    expect(cache.deadLetters).toHaveLength(0);
    expect(events.some((e) => e.type === "dead-letter")).toBe(false);
    expect(server.values.get(`default:${key}`)).toEqual({ value: "v", version: 1 });
    if (outcome.queued) await expect(outcome.applied).resolves.toMatchObject({ version: 1 });
  });

  it("met by a replay keeps the mutation queued, retries it, and applies it once", async () => {
    client();
    const key = freshKey(`replay-${status}`);
    const after = freshKey(`replay-after-${status}`);
    // The first send meets a 503 (queued); its first replay meets the code under test.
    server.failSequence(["SERVICE_UNAVAILABLE", code]);
    const outcome = await cache.set(key, "v");
    await cache.set(after, "w");
    expect(cache.pending).toBe(2);
    await cache.sync({ timeoutMs: 5_000 });
    expect(server.faults).toEqual([
      { procedure: "set", code: "SERVICE_UNAVAILABLE" },
      { procedure: "set", code },
    ]);
    expect(cache.deadLetters).toHaveLength(0);
    expect(events.some((e) => e.type === "dead-letter")).toBe(false);
    expect(server.values.get(`default:${key}`)).toEqual({ value: "v", version: 1 });
    expect(server.values.get(`default:${after}`)).toEqual({ value: "w", version: 1 });
    // Order kept: the retried write still went before the one queued behind it.
    expect(server.received.map((r) => r.input.key)).toEqual([key, after]);
    if (outcome.queued) await expect(outcome.applied).resolves.toMatchObject({ version: 1 });
  });
});

describe("a timeout (no answer within timeoutMs)", () => {
  it("met by a new set queues it, and the replay applies it exactly once", async () => {
    client({ timeoutMs: 100 });
    const key = freshKey("timeout-direct");
    server.delayNext(1, 1_000);
    const outcome = await cache.set(key, "v");
    expect(outcome.queued).toBe(true);
    expect(cache.status).toBe("offline");
    expect(cache.deadLetters).toHaveLength(0);
    await cache.sync({ timeoutMs: 5_000 });
    expect(cache.deadLetters).toHaveLength(0);
    // The slow first send may still land at the server: the shared idempotency key makes it one write.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(server.values.get(`default:${key}`)).toEqual({ value: "v", version: 1 });
    const sends = server.received.filter((r) => r.input.key === key);
    expect(new Set(sends.map((r) => r.input.idempotencyKey)).size).toBe(1);
  });

  it("met by a replay keeps the mutation queued instead of dead-lettering it", async () => {
    client({ timeoutMs: 150, retry: { initialDelayMs: 60_000, maxDelayMs: 60_000 } });
    const key = freshKey("timeout-replay");
    server.failNext(1, "SERVICE_UNAVAILABLE");
    expect((await cache.set(key, "v")).queued).toBe(true);
    server.delayNext(1, 1_000);
    // sync() replays at once; the replay times out, and the mutation must stay queued.
    await expect(cache.sync({ timeoutMs: 400 })).rejects.toMatchObject({ code: "TIMEOUT" });
    expect(cache.pending).toBe(1);
    expect(cache.deadLetters).toHaveLength(0);
    expect(cache.status).toBe("offline");
    await cache.sync({ timeoutMs: 5_000 });
    expect(cache.pending).toBe(0);
    expect(cache.deadLetters).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(server.values.get(`default:${key}`)).toEqual({ value: "v", version: 1 });
  });
});

describe("retryable failures queue every kind of mutation", () => {
  it.each(["set", "delete", "invalidate"] as const)("%s meeting a 429 is queued and replayed", async (name) => {
    client();
    server.failNext(1, "TOO_MANY_REQUESTS");
    const key = freshKey(`kind-${name}`);
    const queued =
      name === "set"
        ? (await cache.set(key, 1)).queued
        : name === "delete"
          ? (await cache.delete(key)).queued
          : (await cache.invalidate({ keys: [key] })).queued;
    expect(queued).toBe(true);
    expect(cache.pending).toBe(1);
    await cache.sync({ timeoutMs: 5_000 });
    expect(cache.deadLetters).toHaveLength(0);
    expect(server.received.filter((r) => r.procedure === name)).toHaveLength(1);
  });
});

describe.each(PERMANENT)("a $status ($code)", ({ code, status }) => {
  it("met by a replay moves the mutation to the dead letters (sent once, not retried) and the queue goes on", async () => {
    client();
    const key = freshKey(`dl-${status}`);
    const after = freshKey(`dl-after-${status}`);
    server.failSequence(["SERVICE_UNAVAILABLE", code]);
    const outcome = await cache.set(key, "v");
    await cache.set(after, "w");
    await cache.sync({ timeoutMs: 5_000 });
    expect(cache.pending).toBe(0);
    expect(cache.deadLetters).toHaveLength(1);
    expect(cache.deadLetters[0]).toMatchObject({ mutation: { procedure: "set", input: { key } }, error: { code, status } });
    const deadLetterEvents = events.filter((e) => e.type === "dead-letter");
    expect(deadLetterEvents).toHaveLength(1);
    // Not retried: exactly one send met the permanent failure, and none reached the procedure.
    expect(server.faults.filter((f) => f.code === code)).toHaveLength(1);
    expect(server.received.map((r) => r.input.key)).toEqual([after]);
    expect(server.values.has(`default:${key}`)).toBe(false);
    expect(server.values.get(`default:${after}`)?.value).toBe("w");
    if (!outcome.queued) throw new Error("expected the first write to be queued");
    await expect(outcome.applied).rejects.toMatchObject({ name: "CacheError", code, status, retryable: false });
  });

  it("met by a new set rejects it with the error and queues nothing", async () => {
    client();
    server.failNext(1, code);
    await expect(cache.set(freshKey(`direct-${status}`), "v")).rejects.toMatchObject({ code, status, retryable: false });
    expect(cache.pending).toBe(0);
    expect(cache.deadLetters).toHaveLength(0);
    expect(cache.status).toBe("online");
  });
});
