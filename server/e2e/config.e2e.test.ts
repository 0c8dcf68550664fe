// CACHE_CONFIG as an operator gives it (`--env-file`): a bad one fails loudly, naming the field,
// without a stack trace; a minimal one allows no browser origin (CORS is opt-in).
import { afterAll, describe, expect, it } from "vitest";
import { bearer, cacheTokensVar, issueToken } from "@cache-sync/dev-kit/tokens";
import { startDevServer, type DevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { makeClient } from "@cache-sync/dev-kit/http";

const admin = issueToken("admin", ["admin"], ["*"]);
const started: DevServer[] = [];
const start = async (config: unknown) => {
  const server = await startDevServer({ vars: { CACHE_CONFIG: config, CACHE_TOKENS: cacheTokensVar([admin]) } });
  started.push(server);
  return server;
};

afterAll(async () => {
  await Promise.all(started.map((server) => server.stop()));
});

describe("an invalid CACHE_CONFIG", () => {
  it("makes /health answer 503 and every call an error; the bad fields are in the log and for an admin only, with no stack", async () => {
    const server = await start({ namespaces: { products: { shards: 0, origin: { url: "ftp://nope" } } } });
    const client = makeClient(server.url, bearer(admin));
    const anonymous = makeClient(server.url);

    // Anyone may learn that the service is not ok, and nothing more (issue: hostile traffic, 9).
    const publicHealth = await anonymous.raw("/health");
    expect(publicHealth.status).toBe(503);
    expect(publicHealth.body).toEqual({ ok: false });

    // An admin token gets the operator's answer: which fields are wrong.
    const health = await client.raw("/health");
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ ok: false });
    const problems = JSON.stringify(health.body.problems);
    expect(problems).toContain("CACHE_CONFIG is invalid");
    expect(problems).toContain("namespaces.products.shards");
    expect(problems).toContain("namespaces.products.origin.url");

    for (const reply of [
      await client.query("get", { key: "k" }),
      await client.mutate("set", { key: "k", value: 1 }),
      await anonymous.query("get", { key: "k" }),
    ]) {
      // The operator's mistake, not the caller's: unavailable until fixed (the SDK queues writes meanwhile).
      expect(reply.status).toBe(503);
      expect(reply.body.error.data.code).toBe("SERVICE_UNAVAILABLE");
      // The caller learns that the config is invalid and the request id to quote, not where.
      expect(reply.body.error.message).toContain("CACHE_CONFIG is invalid");
      expect(reply.body.error.data.requestId).toBe(reply.headers.get("x-request-id"));
      expect(JSON.stringify(reply.body)).not.toContain("namespaces.products");
      expect(JSON.stringify(reply.body)).not.toMatch(/\bat .+\.(ts|js):\d+/); // no stack frames
    }
    // And the operator's log says where (wrangler forwards the Worker's lines a moment later).
    await expect.poll(() => server.output(), { timeout: 15_000 }).toContain("config_invalid");
    expect(server.output()).toContain("namespaces.products.shards");
  });
});

describe("an invalid CACHE_TOKENS", () => {
  it("is not ok at /health, and calls get a 500 that does not say where the tokens failed", async () => {
    const server = await startDevServer({
      vars: {
        CACHE_CONFIG: { namespaces: { default: {} } },
        CACHE_TOKENS: '[{"id":"x","sha256":"not-hex","scopes":["admin"],"namespaces":["*"]}]',
      },
    });
    started.push(server);
    const client = makeClient(server.url, bearer(admin));
    const health = await client.raw("/health");
    expect(health.status).toBe(503);
    expect(health.body).toEqual({ ok: false }); // nobody can be identified while the tokens are invalid
    const reply = await client.query("get", { key: "k" });
    expect(reply.status).toBe(500);
    expect(reply.body.error.message).toContain("CACHE_TOKENS is invalid");
    expect(JSON.stringify(reply.body)).not.toMatch(/sha256|hex/);
    await expect.poll(() => server.output(), { timeout: 15_000 }).toContain("sha256 must be 64 hex characters");
  });
});

describe("CORS with no corsOrigins configured", () => {
  it("allows no browser origin, on a preflight or a plain call", async () => {
    const server = await start({ namespaces: { default: {} } });
    const preflight = await fetch(`${server.url}/trpc/set`, {
      method: "OPTIONS",
      headers: {
        Origin: "https://app.example.com",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
      },
    });
    await preflight.body?.cancel();
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    const call = await makeClient(server.url, { ...bearer(admin), Origin: "https://app.example.com" }).query("get", { key: "k" });
    expect(call.status).toBe(200);
    expect(call.headers.get("access-control-allow-origin")).toBeNull();
  });
});
