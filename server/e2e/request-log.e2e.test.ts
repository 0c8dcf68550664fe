// Issue 8 through `wrangler dev`: one JSON log line per request with its id, procedure(s) or
// route, namespace, status and duration; X-Request-Id on responses; Server-Timing on the proxy;
// and no token or cached value anywhere in the server's output. `catalog` logs successful reads one
// line each; `default` has the defaults (issue 14): its successful reads are summed up per interval.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOrigin, type OriginServer } from "@cache-sync/dev-kit/origin-server";
import { findSecrets, requestLogLines, saveLog } from "@cache-sync/dev-kit/secret-scan";
import { bearer, cacheTokensVar, issueToken } from "@cache-sync/dev-kit/tokens";
import { startDevServer, type DevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { data, makeClient } from "@cache-sync/dev-kit/http";

const admin = issueToken("log-admin", ["admin"], ["*"]);
const reader = issueToken("log-reader", ["read"], ["catalog"]);
const written = { name: "value-that-must-not-be-logged-6d1f", price: 12.5, note: "another-secret-string-93ab" };
const fromOrigin = { title: "origin-value-never-in-logs-41c2" };

let origin: OriginServer;
let server: DevServer;
let client: ReturnType<typeof makeClient>;

beforeAll(async () => {
  origin = await startOrigin();
  await fetch(`${origin.url}/__behave`, { method: "POST", body: JSON.stringify({ key: "from-origin", value: fromOrigin }) });
  server = await startDevServer({
    vars: {
      CACHE_CONFIG: {
        readSummaryIntervalMs: 500,
        namespaces: {
          default: {},
          catalog: { origin: { url: `${origin.url}/items/{key}`, timeoutMs: 5000 }, requestLog: { successfulReads: "lines" } },
        },
      },
      CACHE_TOKENS: cacheTokensVar([admin, reader]),
    },
    logLevel: "log",
  });
  client = makeClient(server.url, bearer(admin));
});

afterAll(async () => {
  await server?.stop();
  await origin?.close();
});

/** The log line of the response that carried `requestId` (lines are written as the response leaves). */
async function lineFor(requestId: string | null): Promise<Record<string, any>> {
  expect(requestId).toBeTruthy();
  for (let i = 0; i < 50; i++) {
    const line = requestLogLines(server.output()).find((l) => l.requestId === requestId);
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no log line for request ${requestId}:\n${server.output()}`);
}

describe("request log", () => {
  it("logs a mutation with its procedure and namespace, never its value", async () => {
    const reply = await client.mutate("set", { namespace: "catalog", key: "sku-1", value: written, tags: ["shoes"] });
    expect(reply.status).toBe(200);
    const line = await lineFor(reply.headers.get("x-request-id"));
    expect(line).toMatchObject({
      level: "info",
      event: "request",
      method: "POST",
      route: "/trpc",
      procedure: "set",
      namespace: "catalog",
      status: 200,
      tokenId: "log-admin",
    });
    expect(line.durationMs).toEqual(expect.any(Number));
  });

  it("logs a batched query with every procedure and namespace", async () => {
    const input = encodeURIComponent(JSON.stringify({ 0: { namespace: "catalog", key: "sku-1" }, 1: {} }));
    const reply = await client.raw(`/trpc/get,stats?batch=1&input=${input}`);
    expect(reply.status).toBe(200);
    expect(await lineFor(reply.headers.get("x-request-id"))).toMatchObject({
      procedure: "get,stats",
      namespace: "catalog,default",
      status: 200,
    });
  });

  it("logs refused calls (401, 403) with their status, and keeps a well-formed caller request id", async () => {
    const unknown = await makeClient(server.url, { authorization: "Bearer cs_test_not-a-real-token-000000" }).query("get", { key: "k" });
    expect(unknown.status).toBe(401);
    expect(await lineFor(unknown.headers.get("x-request-id"))).toMatchObject({ procedure: "get", status: 401 });
    const forbidden = await makeClient(server.url, { ...bearer(reader), "x-request-id": "caller-req-0001" }).mutate("set", {
      namespace: "catalog",
      key: "k",
      value: 1,
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get("x-request-id")).toBe("caller-req-0001");
    // Refused for its scope before the body was read (issue: hostile traffic, 1): the namespace is not known.
    const scopeLine = await lineFor("caller-req-0001");
    expect(scopeLine).toMatchObject({ procedure: "set", status: 403, tokenId: "log-reader" });
    expect(scopeLine.namespace).toBeUndefined();
    // Refused for its namespace, which the log names.
    const elsewhere = await makeClient(server.url, { ...bearer(reader), "x-request-id": "caller-req-0002" }).query("get", {
      namespace: "default",
      key: "k",
    });
    expect(elsewhere.status).toBe(403);
    expect(await lineFor("caller-req-0002")).toMatchObject({ procedure: "get", namespace: "default", status: 403, tokenId: "log-reader" });
  });

  it("names unknown procedures and routes without echoing the caller's path", async () => {
    // (wrangler's own access line shows the path; the Worker's line must not.)
    const unknownProcedure = await client.query("sk_live_pasted_here");
    const line = await lineFor(unknownProcedure.headers.get("x-request-id"));
    expect(line).toMatchObject({ procedure: "(unknown)", status: 404 });
    expect(JSON.stringify(line)).not.toContain("sk_live");
    const noRoute = await client.raw("/some/secret/path");
    expect(await lineFor(noRoute.headers.get("x-request-id"))).toMatchObject({ route: "(no route)", status: 404 });
  });
});

describe("read-through proxy timing", () => {
  it("answers with Server-Timing naming the cache verdict, and logs the route pattern, not the key", async () => {
    const miss = await client.raw("/r/catalog/from-origin");
    expect(miss.status).toBe(200);
    expect(miss.body).toEqual(fromOrigin);
    expect(miss.headers.get("server-timing")).toMatch(/^cache;desc="MISS";dur=\d+(\.\d+)?$/);
    const hit = await client.raw("/r/catalog/from-origin");
    expect(hit.headers.get("server-timing")).toMatch(/^cache;desc="HIT";dur=\d+(\.\d+)?$/);
    const line = await lineFor(hit.headers.get("x-request-id"));
    expect(line).toMatchObject({ route: "/r/:namespace/:key", namespace: "catalog", status: 200 });
    expect(JSON.stringify(line)).not.toContain("from-origin");
  });
});

describe("successful reads with the defaults", () => {
  it("have no line each, and are counted in the isolate's reads line", async () => {
    const replies = await Promise.all(Array.from({ length: 5 }, () => client.query("get", { key: "summed-key" })));
    for (const reply of replies) expect(reply.status).toBe(200);
    const ids = replies.map((reply) => reply.headers.get("x-request-id"));
    const summed = () =>
      readSummaryLines(server.output())
        .flatMap((line) => line.reads)
        .filter((read) => read.namespace === "default" && read.procedure === "get")
        .reduce((sum, read) => sum + read.count, 0);
    for (let i = 0; i < 50 && summed() < 5; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(summed()).toBe(5);
    expect(requestLogLines(server.output()).filter((line) => ids.includes(line.requestId))).toEqual([]);
    expect(server.output()).not.toContain("summed-key");
  });
});

/** The `"event":"reads"` lines in the server's output. */
function readSummaryLines(output: string): Record<string, any>[] {
  return output
    .split("\n")
    .filter((line) => line.includes('"event":"reads"'))
    .map((line) => JSON.parse(line.slice(line.indexOf("{"))) as Record<string, any>);
}

describe("the whole run's output", () => {
  it("has one request line per request and no token or cached value", async () => {
    expect(data(await client.query("get", { namespace: "catalog", key: "sku-1" })).value).toEqual(written);
    const lines = requestLogLines(server.output());
    expect(lines.length).toBeGreaterThanOrEqual(10);
    expect(new Set(lines.map((l) => l.requestId)).size).toBe(lines.length);
    const file = saveLog("request-log", server.output());
    expect(findSecrets(server.output(), { tokens: [admin.token, reader.token], values: [written, fromOrigin] }), `see ${file}`).toEqual([]);
  });
});
