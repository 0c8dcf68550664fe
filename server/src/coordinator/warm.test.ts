import { describe, expect, it } from "vitest";
import { behave, originCount, originMaxConcurrency, uniqueKey } from "../../test/support/origin-control.ts";
import { mutate, ok, query } from "../../test/support/trpc-http.ts";

async function waitForJob(namespace: string, id: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  const seen: number[] = [];
  for (;;) {
    const status = await ok(query("status", { namespace, id }));
    seen.push(status.progress);
    if (status.state === "completed" || status.state === "failed" || Date.now() > deadline) return { status, seen };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("warm", () => {
  it("1,000 keys finish with progress 100, every key fresh, never more than the configured concurrency at the origin", async () => {
    const group = uniqueKey("warm");
    await behave(group, { latencyMs: 5 });
    const keys = Array.from({ length: 1_000 }, (_, i) => `${group}:${i}`);
    const queued = await ok(mutate("warm", { namespace: "warmable", keys }));
    expect(queued).toMatchObject({ state: "queued", totalTargets: 100 });

    const { status, seen } = await waitForJob("warmable", queued.id);
    expect(status).toMatchObject({ state: "completed", progress: 100, invalidatedKeys: 1_000, failedTargets: 0 });
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    // invalidation.concurrency is 4 in this namespace: at most 4 loads at once.
    expect(await originMaxConcurrency(group)).toBeLessThanOrEqual(4);
    expect(await originMaxConcurrency(group)).toBeGreaterThan(1);
    for (const key of [keys[0]!, keys[499]!, keys[999]!]) {
      expect(await ok(query("get", { namespace: "warmable", key }))).toMatchObject({ found: true, state: "fresh" });
      expect(await originCount(key)).toBe(1);
    }
  }, 60_000);

  it("warming a namespace without an origin is a 400 naming the problem", async () => {
    const reply = await mutate("warm", { namespace: "default", keys: ["a"] });
    expect(reply.status).toBe(400);
    expect(reply.body.error.message).toMatch(/no origin to warm/);
  });

  it("a key the origin does not have finishes the job without counting it", async () => {
    const key = uniqueKey("absent");
    await behave(key, { status: 404 });
    const queued = await ok(mutate("warm", { namespace: "warmable", keys: [key] }));
    const { status } = await waitForJob("warmable", queued.id);
    expect(status).toMatchObject({ state: "completed", invalidatedKeys: 0 });
  });
});
