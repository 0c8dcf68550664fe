import { describe, expect, it } from "vitest";
import { listDurableObjectIds } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { send } from "../../test/support/trpc-http.ts";

const TEN_MIB = 10 * 1024 * 1024;

describe("hard limits before work", () => {
  it("a 10 MiB body is refused with 413 before any shard sees it", async () => {
    const before = (await listDurableObjectIds(env.CACHE_SHARD)).length;
    const body = JSON.stringify({ namespace: "never-touched", key: "big", value: "x".repeat(TEN_MIB) });
    const reply = await send("/trpc/set", { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(reply.status).toBe(413);
    expect(reply.body.error.data.code).toBe("PAYLOAD_TOO_LARGE");
    expect(reply.body.error.message).toMatch(/larger than \d+ bytes/);
    expect((await listDurableObjectIds(env.CACHE_SHARD)).length).toBe(before);
  });

  it("a body without Content-Length is counted as it streams and refused past the limit", async () => {
    const chunk = new TextEncoder().encode("x".repeat(1024 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 10) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const reply = await send("/trpc/set", { method: "POST", headers: { "content-type": "application/json" }, body: stream });
    expect(reply.status).toBe(413);
  });

  it("a tRPC batch over maxBatchSize is refused with 400", async () => {
    const paths = Array.from({ length: 51 }, () => "get").join(",");
    const input = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [i, { key: `k${i}` }]));
    const reply = await send(`/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`);
    expect(reply.status).toBe(400);
    expect(JSON.stringify(reply.body)).toMatch(/batch/i);
  });

  it("a batch within the limit works", async () => {
    const input = { 0: { key: "a" }, 1: { key: "b" } };
    const reply = await send(`/trpc/get,get?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toHaveLength(2);
  });
});

describe("CORS", () => {
  it("answers a preflight from an allowed origin, and names no origin for others", async () => {
    const preflight = (origin: string) =>
      send("/trpc/set", {
        method: "OPTIONS",
        token: null,
        headers: {
          Origin: origin,
          "Access-Control-Request-Method": "POST",
          "Access-Control-Request-Headers": "authorization,content-type",
        },
      });
    const allowed = await preflight("https://app.example.com");
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(allowed.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
    const denied = await preflight("https://evil.example.net");
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();
  });
});
