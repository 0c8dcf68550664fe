// CACHE_CONFIG as an operator gives it (`--env-file`): a bad one fails loudly, naming the field,
// without a stack trace; a minimal one allows no browser origin (CORS is opt-in).
import { afterAll, describe, expect, it } from "vitest";
import { makeClient } from "./support/http.ts";
import { bearer, cacheTokensVar, issueToken } from "./support/tokens.ts";
import { startDevServer, type DevServer } from "./support/wrangler-dev.ts";

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
  it("makes /health answer 503 and every call an error that names the bad field, with no stack", async () => {
    const server = await start({ namespaces: { products: { shards: 0, origin: { url: "ftp://nope" } } } });
    const client = makeClient(server.url, bearer(admin));

    const health = await client.raw("/health");
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ ok: false });
    expect(health.body.error).toContain("CACHE_CONFIG is invalid");
    expect(health.body.error).toContain("namespaces.products.shards");
    expect(health.body.error).toContain("namespaces.products.origin.url");

    for (const reply of [await client.query("get", { key: "k" }), await client.mutate("set", { key: "k", value: 1 })]) {
      // The operator's mistake, not the caller's: unavailable until fixed (the SDK queues writes meanwhile).
      expect(reply.status).toBe(503);
      expect(reply.body.error.data.code).toBe("SERVICE_UNAVAILABLE");
      expect(reply.body.error.message).toContain("namespaces.products.shards");
      expect(JSON.stringify(reply.body)).not.toMatch(/\bat .+\.(ts|js):\d+/); // no stack frames
    }
    // And the operator's log says so (wrangler forwards the Worker's lines a moment later).
    await expect.poll(() => server.output(), { timeout: 15_000 }).toContain("config_invalid");
  });
});

describe("CORS with no corsOrigins configured", () => {
  it("allows no browser origin, on a preflight or a plain call", async () => {
    const server = await start({ namespaces: { default: {} } });
    const preflight = await fetch(`${server.url}/trpc/set`, {
      method: "OPTIONS",
      headers: { Origin: "https://app.example.com", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type" },
    });
    await preflight.body?.cancel();
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    const call = await makeClient(server.url, { ...bearer(admin), Origin: "https://app.example.com" }).query("get", { key: "k" });
    expect(call.status).toBe(200);
    expect(call.headers.get("access-control-allow-origin")).toBeNull();
  });
});
