// The operator queries behind the dashboard: `namespaces` (what CACHE_CONFIG configures, without
// its secrets) and `jobs` (a namespace's recent jobs from its coordinator, newest first). Both
// are admin-only, over HTTP (tRPC) and over the service binding.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config/load-config.ts";
import { behave, uniqueKey } from "../../test/support/origin-control.ts";
import { mutate, ok, query } from "../../test/support/trpc-http.ts";
import { TEST_TOKENS } from "../../test/support/test-tokens.ts";

const config = loadConfig(env.CACHE_CONFIG);

async function waitUntilFinished(namespace: string, id: string) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const status = await ok(query("status", { namespace, id }));
    if (status.state === "completed" || status.state === "failed" || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("namespaces (admin)", () => {
  it("lists every configured namespace, sorted, with its key settings", async () => {
    const { namespaces } = await ok(query("namespaces"));
    expect(namespaces.map((ns: { name: string }) => ns.name)).toEqual(Object.keys(config.namespaces).sort());
    const byName = new Map(namespaces.map((ns: { name: string }) => [ns.name, ns]));
    expect(byName.get("products")).toEqual({
      name: "products",
      shards: 8,
      freshMs: 10_000,
      staleMs: 60_000,
      origin: true,
      writeBehind: false,
      publicRead: false,
    });
    expect(byName.get("ledger")).toMatchObject({ shards: 2, origin: false, writeBehind: true });
    expect(byName.get("open")).toMatchObject({ publicRead: true, origin: false });
    expect(byName.get("warmable")).toMatchObject({ shards: 4, origin: true });
  });

  it("never shows origin or sink URLs, headers or anything else from the config", async () => {
    const reply = await query("namespaces");
    const text = JSON.stringify(reply.body);
    expect(reply.status).toBe(200);
    // Every origin and sink of the test config is on 127.0.0.1 (the local test server).
    expect(text).not.toContain("127.0.0.1");
    expect(text).not.toContain("://");
    for (const ns of reply.body.result.data.namespaces) {
      expect(Object.keys(ns).sort()).toEqual(["freshMs", "name", "origin", "publicRead", "shards", "staleMs", "writeBehind"]);
    }
  });

  it("lists only the namespaces an admin token is limited to", async () => {
    const { namespaces } = await ok(query("namespaces", undefined, TEST_TOKENS.productsAdmin));
    expect(namespaces.map((ns: { name: string }) => ns.name)).toEqual(["ledger", "products"]);
  });

  it("is refused to a read token (403) and to an anonymous caller (401)", async () => {
    const asReader = await query("namespaces", undefined, TEST_TOKENS.reader);
    expect(asReader.status).toBe(403);
    expect(asReader.body.error.data.code).toBe("FORBIDDEN");
    expect(asReader.body.error.message).toMatch(/lacks the "admin" scope/);
    const asWriter = await query("namespaces", undefined, TEST_TOKENS.productsWriter);
    expect(asWriter.status).toBe(403);
    const anonymous = await query("namespaces", undefined, null);
    expect(anonymous.status).toBe(401);
  });
});

describe("jobs (admin)", () => {
  it("lists a namespace's jobs newest first, with their progress once they finish", async () => {
    const namespace = "jobs-listed";
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await ok(mutate("invalidate", { namespace, keys: [`k${i}`] }))).id);
    const listed = await ok(query("jobs", { namespace }));
    expect(listed.namespace).toBe(namespace);
    expect(listed.jobs.map((job: { id: string }) => job.id)).toEqual([...ids].reverse());
    for (const id of ids) await waitUntilFinished(namespace, id);
    const finished = await ok(query("jobs", { namespace }));
    for (const job of finished.jobs) {
      expect(job).toMatchObject({ namespace, state: "completed", progress: 100, totalTargets: 8, completedTargets: 8, failedTargets: 0 });
      expect(job.finishedAt).toBeGreaterThanOrEqual(job.createdAt);
    }
  });

  it("answers the same status for a job as `status` does", async () => {
    const namespace = "jobs-same-status";
    const job = await ok(mutate("invalidate", { namespace, tags: ["t"] }));
    const status = await waitUntilFinished(namespace, job.id);
    expect((await ok(query("jobs", { namespace }))).jobs).toEqual([status]);
  });

  it("lists warm jobs beside invalidations", async () => {
    const key = uniqueKey("jobs-warm");
    await behave(key, {});
    const invalidation = await ok(mutate("invalidate", { namespace: "warmable", keys: [key] }));
    const warm = await ok(mutate("warm", { namespace: "warmable", keys: [key] }));
    const ids = (await ok(query("jobs", { namespace: "warmable", limit: 2 }))).jobs.map((j: { id: string }) => j.id);
    expect(ids).toEqual([warm.id, invalidation.id]);
  });

  it("returns 20 jobs unless asked for fewer or more (up to 100)", async () => {
    const namespace = "jobs-many";
    for (let i = 0; i < 23; i++) await ok(mutate("invalidate", { namespace, keys: [`k${i}`], priority: "low" }));
    expect((await ok(query("jobs", { namespace }))).jobs).toHaveLength(20);
    expect((await ok(query("jobs", { namespace, limit: 5 }))).jobs).toHaveLength(5);
    expect((await ok(query("jobs", { namespace, limit: 100 }))).jobs).toHaveLength(23);
  });

  it("an empty namespace has no jobs", async () => {
    expect(await ok(query("jobs", { namespace: "jobs-none" }))).toEqual({ namespace: "jobs-none", jobs: [] });
  });

  it("a limit outside 1..100 is a 400 naming it", async () => {
    for (const limit of [0, 101, 2.5, "ten"]) {
      const reply = await query("jobs", { namespace: "jobs-none", limit });
      expect(reply.status, `limit ${JSON.stringify(limit)}`).toBe(400);
      expect(JSON.stringify(reply.body.error.data.issues)).toContain("limit");
    }
    expect((await query("jobs", { namespace: "jobs-none", limit: 101 })).body.error.message).toMatch(/at most 100 jobs/);
  });

  it("is refused to a read token (403), to an admin of other namespaces (403) and to an anonymous caller (401)", async () => {
    const asReader = await query("jobs", { namespace: "default" }, TEST_TOKENS.reader);
    expect(asReader.status).toBe(403);
    expect(asReader.body.error.data.code).toBe("FORBIDDEN");
    expect((await query("jobs", { namespace: "default" }, TEST_TOKENS.productsAdmin)).status).toBe(403);
    expect((await query("jobs", { namespace: "products" }, TEST_TOKENS.productsAdmin)).status).toBe(200);
    expect((await query("jobs", { namespace: "default" }, null)).status).toBe(401);
  });
});

describe("over the service binding", () => {
  const service = exports.default as unknown as {
    namespaces(input?: object): Promise<{ ok: boolean; value?: { namespaces: { name: string }[] } }>;
    jobs(input: object): Promise<{ ok: boolean; value?: { jobs: { id: string }[] }; error?: { code: string } }>;
    invalidate(input: object): Promise<{ ok: boolean; value?: { id: string } }>;
  };

  it("answers namespaces and jobs like the tRPC procedures", async () => {
    const listed = await service.namespaces();
    expect(listed.ok).toBe(true);
    expect(listed.value!.namespaces.map((ns) => ns.name)).toEqual(Object.keys(config.namespaces).sort());
    const job = await service.invalidate({ namespace: "jobs-binding", keys: ["a"] });
    expect(await service.jobs({ namespace: "jobs-binding" })).toMatchObject({ ok: true, value: { jobs: [{ id: job.value!.id }] } });
    expect(await service.jobs({ namespace: "jobs-binding", limit: 0 })).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
  });
});
