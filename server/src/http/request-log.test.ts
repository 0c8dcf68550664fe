// Issue 8 inside workerd: the request log line and X-Request-Id (the e2e test reads real
// `wrangler dev` output), and the dashboard served from the assets directory.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mutate, ok, send } from "../../test/support/trpc-http.ts";

afterEach(() => vi.restoreAllMocks());

function capturedLines(spy: { mock: { calls: unknown[][] } }): Record<string, unknown>[] {
  return spy.mock.calls
    .map((args) => String(args[0]))
    .filter((text) => text.includes('"event":"request"'))
    .map((text) => JSON.parse(text) as Record<string, unknown>);
}

describe("request log", () => {
  it("writes one line per request with the id it answers in X-Request-Id, and no value", async () => {
    const spy = vi.spyOn(console, "log");
    const secretValue = { card: "request-log-test-value-5c1e" };
    await ok(mutate("set", { namespace: "products", key: "logged-key", value: secretValue }));
    const reply = await send("/r/products/logged-key");
    expect(reply.status).toBe(200);
    const lines = capturedLines(spy);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ event: "request", method: "POST", route: "/trpc", procedure: "set", namespace: "products", status: 200 });
    expect(lines[1]).toMatchObject({ route: "/r/:namespace/:key", namespace: "products", status: 200, requestId: reply.headers.get("x-request-id") });
    expect(reply.headers.get("server-timing")).toMatch(/^cache;desc="HIT";dur=/);
    expect(JSON.stringify(spy.mock.calls)).not.toContain("request-log-test-value-5c1e");
  });
});

describe("dashboard assets", () => {
  it("serves /dashboard/ and its script from the built assets directory", async () => {
    const page = await env.ASSETS.fetch("http://cache.local/dashboard/");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>cache-sync dashboard</title>");
    const script = await env.ASSETS.fetch("http://cache.local/dashboard/app.js");
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toMatch(/javascript/);
  });
});
