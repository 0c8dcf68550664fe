// Issue 17, acceptance 3: purge targets with credentials. A `cloudflare-zone` target calls a
// (local stub of the) zone purge API with the namespaced tags and its token; a failing stub is
// retried with backoff and, past maxAttempts, shows in the job's `errors` (never the token). An
// `http` target gets the headers from its secret and the tags the answers carried.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { advanceCoordinatorClock, finishedJob, jobStatus, settleCoordinator, targetRows } from "../../test/support/coordinator.ts";
import { purgeCalls } from "../../test/support/purge-control.ts";
import { mutate, ok } from "../../test/support/trpc-http.ts";
import type { ZoneCall } from "@cache-sync/dev-kit/zone-call";
import { keyTag } from "../colo/cache-tags.ts";

const base = () => `http://127.0.0.1:${env.ORIGIN_PORT}`;
const zoneCalls = async (stub: string): Promise<ZoneCall[]> =>
  ((await (await fetch(`${base()}/__cf/calls?stub=${stub}`)).json()) as { calls: ZoneCall[] }).calls;
const zoneBehave = async (stub: string, behaviour: { failTimes: number; failStatus?: number }) =>
  (await fetch(`${base()}/__cf/behave`, { method: "POST", body: JSON.stringify({ stub, ...behaviour }) })).text();
const invalidate = (input: object) => ok(mutate("invalidate", input));

/** Retries the job's failed zone target once, as if its backoff had passed. */
async function retryZone(ns: string, id: string): Promise<void> {
  const row = (await targetRows(ns, id)).find((target) => target.kind === "cloudflare-zone")!;
  await advanceCoordinatorClock(ns, row.next_attempt_at - row.last_attempt_at!);
  await settleCoordinator(ns);
}

describe("a cloudflare-zone purge target (issue 17)", () => {
  beforeEach(() => zoneBehave("flaky", { failTimes: 0 }));

  it("receives the namespaced tags, the key's tag and (no host configured) the namespace's for a prefix, with its token", async () => {
    const ns = "zone-purged";
    const before = (await zoneCalls("ok")).length;
    const job = await invalidate({ namespace: ns, tags: ["catalog", "shoes"], keys: ["sku 1"], prefixes: ["users/"] });
    // One shard, the colo tier (public namespace, coloTier on), the zone and the http target.
    expect(await finishedJob(ns, job.id)).toMatchObject({ state: "completed", totalTargets: 4, completedTargets: 4, errors: [] });
    const calls = (await zoneCalls("ok")).slice(before);
    expect(calls).toEqual([
      {
        stub: "ok",
        zoneId: "0123456789abcdef0123456789abcdef",
        endpoint: "purge_cache",
        authorization: "Bearer zone-token-4c1e",
        body: { tags: ["zone-purged:catalog", "zone-purged:shoes", await keyTag(ns, "sku 1"), "zone-purged"] },
        status: 200,
      },
    ]);
  });

  it('mode "stale" calls invalidate_cache (soft purge)', async () => {
    const ns = "zone-purged";
    const before = (await zoneCalls("ok")).length;
    const job = await invalidate({ namespace: ns, tags: ["catalog"], mode: "stale" });
    expect((await finishedJob(ns, job.id)).state).toBe("completed");
    expect((await zoneCalls("ok")).slice(before).map((call) => [call.endpoint, call.body])).toEqual([
      ["invalidate_cache", { tags: ["zone-purged:catalog"] }],
    ]);
  });

  it("a stub failing once is retried with backoff and the job completes; prefixes go by URL on the configured host", async () => {
    const ns = "zone-flaky";
    await zoneBehave("flaky", { failTimes: 1 });
    const before = (await zoneCalls("flaky")).length;
    const job = await invalidate({ namespace: ns, tags: ["t"], prefixes: ["users/é"] });
    await settleCoordinator(ns);
    expect(await jobStatus(ns, job.id)).toMatchObject({ state: "processing", failedTargets: 0 });
    await retryZone(ns, job.id);
    expect(await jobStatus(ns, job.id)).toMatchObject({ state: "completed", failedTargets: 0, errors: [] });
    const calls = (await zoneCalls("flaky")).slice(before);
    expect(calls.map((call) => [call.status, call.body])).toEqual([
      [500, { tags: ["zone-flaky:t"] }],
      [200, { tags: ["zone-flaky:t"] }],
      [200, { prefixes: ["cache.example.com/r/zone-flaky/users/%C3%A9"] }],
    ]);
  });

  it("a stub that keeps failing makes the job failed, its answer in errors, the token nowhere", async () => {
    const ns = "zone-flaky";
    await zoneBehave("flaky", { failTimes: 100, failStatus: 503 });
    const job = await invalidate({ namespace: ns, tags: ["down"] });
    await settleCoordinator(ns);
    await retryZone(ns, job.id);
    await retryZone(ns, job.id);
    const status = await jobStatus(ns, job.id);
    expect(status).toMatchObject({ state: "failed", failedTargets: 1 });
    expect(status.errors).toEqual([
      "cloudflare zone fedcba9876543210fedcba9876543210: answered 503: 10000 stub says no (gave up after 3 attempts)",
    ]);
    expect(JSON.stringify(status)).not.toContain("zone-token-4c1e");
  });
});

describe("an http purge target with headers from a secret (issue 17)", () => {
  it("sends the secret's headers, and the Cache-Tag values and /r path prefixes to purge", async () => {
    const ns = "zone-purged";
    const job = await invalidate({ namespace: ns, tags: ["hats"], prefixes: ["a b/"] });
    expect((await finishedJob(ns, job.id)).state).toBe("completed");
    const call = (await purgeCalls("zone-purged-http")).find((c) => c.body.jobId === job.id)!;
    expect(call.purgeKey).toBe("purge-key-9d2b");
    expect(call.body).toMatchObject({
      tags: ["hats"],
      prefixes: ["a b/"],
      cacheTags: ["zone-purged:hats", "zone-purged"],
      pathPrefixes: ["/r/zone-purged/a%20b/"],
    });
  });
});
