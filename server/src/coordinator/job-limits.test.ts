// Issue 4: the coordinator's edges — bad input, the queue bound, unknown and expired jobs.
import { describe, expect, it } from "vitest";
import { exports } from "cloudflare:workers";
import { advanceCoordinatorClock, finishedJob, jobStatus, settleCoordinator } from "../../test/support/coordinator.ts";
import { purgeBehave, purgeRelease, waitForPurgeCalls } from "../../test/support/purge-control.ts";
import { mutate, ok, query } from "../../test/support/trpc-http.ts";

const HOUR = 60 * 60 * 1000;

describe("bad input", () => {
  const many = (n: number, label: string) => Array.from({ length: n }, (_, i) => `${label}-${i}`);
  const cases: [string, object][] = [
    ["no selector", {}],
    ["only empty lists", { tags: [], keys: [], prefixes: [] }],
    ["an empty tag", { tags: [""] }],
    ["an empty prefix", { prefixes: [""] }],
    ["an unknown mode", { tags: ["a"], mode: "vaporize" }],
    ["an unknown priority", { tags: ["a"], priority: "urgent" }],
    ["101 selectors", { tags: many(50, "t"), keys: many(50, "k"), prefixes: ["p"] }],
    ["tags that are not a list", { tags: "a" }],
    ["a bad namespace", { namespace: "Not Valid", tags: ["a"] }],
  ];
  for (const [name, input] of cases) {
    it(`invalidate with ${name} is a 400 naming the problem`, async () => {
      const response = await mutate("invalidate", { namespace: "inv-wide", ...input });
      expect(response.status).toBe(400);
      expect(response.body.error.data.code).toBe("BAD_REQUEST");
      expect(response.body.error.message.length).toBeGreaterThan(5);
      expect(JSON.stringify(response.body)).not.toMatch(/\bat \w+ \(|stack/);
    });
  }

  it("100 selectors are accepted", async () => {
    const response = await mutate("invalidate", { namespace: "inv-wide", tags: many(60, "t"), keys: many(40, "k") });
    expect(response.status).toBe(200);
  });

  it("status of an unknown job id is a 404 naming the id", async () => {
    const response = await query("status", { namespace: "inv-wide", id: "no-such-job" });
    expect(response.status).toBe(404);
    expect(response.body.error.data.code).toBe("NOT_FOUND");
    expect(response.body.error.message).toContain("no-such-job");
  });

  it("status without an id is a 400", async () => {
    expect((await query("status", { namespace: "inv-wide" })).status).toBe(400);
  });
});

describe("the queue bound", () => {
  it("past maxQueuedJobs invalidate answers 429 with Retry-After; a replay of an accepted job still answers", async () => {
    const ns = "inv-bounded";
    await purgeBehave("inv-bounded", { hold: true });
    const running = await ok(mutate("invalidate", { namespace: ns, tags: ["a"], idempotencyKey: "bounded-a" }));
    await waitForPurgeCalls("inv-bounded", 1);
    const waiting = await ok(mutate("invalidate", { namespace: ns, tags: ["b"] }));

    const refused = await mutate("invalidate", { namespace: ns, tags: ["c"] });
    expect(refused.status).toBe(429);
    expect(refused.body.error.data.code).toBe("TOO_MANY_REQUESTS");
    expect(refused.body.error.data.details.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.headers.get("retry-after")).toBe(String(refused.body.error.data.details.retryAfterSeconds));
    expect(refused.body.error.message).toMatch(/at most 2/);
    const stats = await ok(query("stats", { namespace: ns }));
    expect(stats.invalidations).toMatchObject({ queued: 1, processing: 1 });

    const replay = await ok(mutate("invalidate", { namespace: ns, tags: ["a"], idempotencyKey: "bounded-a" }));
    expect(replay.id).toBe(running.id);

    await purgeRelease("inv-bounded");
    expect((await finishedJob(ns, running.id)).state).toBe("completed");
    expect((await finishedJob(ns, waiting.id)).state).toBe("completed");
    expect((await mutate("invalidate", { namespace: ns, tags: ["c"] })).status).toBe(200);
  });
});

describe("retention", () => {
  it("a finished job stays pollable for 24 hours, then is swept", async () => {
    const ns = "inv-retention";
    const job = await ok(mutate("invalidate", { namespace: ns, tags: ["old"] }));
    await finishedJob(ns, job.id);
    await advanceCoordinatorClock(ns, 24 * HOUR);
    await settleCoordinator(ns);
    expect((await jobStatus(ns, job.id)).state).toBe("completed");
    await advanceCoordinatorClock(ns, 2 * HOUR);
    await settleCoordinator(ns);
    expect((await query("status", { namespace: ns, id: job.id })).status).toBe(404);
    expect((await ok(query("stats", { namespace: ns }))).invalidations.completed).toBe(0);
  });
});

describe("service binding", () => {
  it("invalidate and status answer the same values, errors as values", async () => {
    const service = exports.default as unknown as {
      invalidate(input: object): Promise<{ ok: boolean; value?: { id: string; state: string }; error?: { code: string } }>;
      status(input: object): Promise<{ ok: boolean; value?: { id: string; state: string }; error?: { code: string } }>;
    };
    const accepted = await service.invalidate({ namespace: "inv-wide", keys: ["via-binding"] });
    expect(accepted).toMatchObject({ ok: true, value: { state: "queued" } });
    await finishedJob("inv-wide", accepted.value!.id);
    expect(await service.status({ namespace: "inv-wide", id: accepted.value!.id })).toMatchObject({
      ok: true,
      value: { state: "completed" },
    });
    expect(await service.invalidate({ namespace: "inv-wide" })).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    expect(await service.status({ namespace: "inv-wide", id: "nope" })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });
});
