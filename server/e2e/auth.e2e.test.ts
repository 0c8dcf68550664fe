import type { TokenScope } from "@cache-sync/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, cacheTokensVar, issueToken, type IssuedToken } from "@cache-sync/dev-kit/tokens";
import { startDevServer, type DevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { makeClient, type Reply } from "@cache-sync/dev-kit/http";

const SCOPES: TokenScope[] = ["read", "write", "invalidate", "admin"];
// One token per scope for the "products" namespace only, and one per scope for every namespace.
const forProducts = Object.fromEntries(SCOPES.map((s) => [s, issueToken(`${s}-products`, [s], ["products"])])) as Record<
  TokenScope,
  IssuedToken
>;
const forAll = Object.fromEntries(SCOPES.map((s) => [s, issueToken(`${s}-all`, [s], ["*"])])) as Record<TokenScope, IssuedToken>;
const limited = issueToken("limited", ["read"], ["*"]);
const bystander = issueToken("bystander", ["read"], ["*"]);
const allTokens = [...Object.values(forProducts), ...Object.values(forAll), limited, bystander];

const RATE_LIMIT = 20;
// Anonymous (per client IP) reads; above what the other tests here send without a token.
const ANON_RATE_LIMIT = 60;
let server: DevServer;
const replies: Reply[] = [];
const record = (reply: Reply) => (replies.push(reply), reply);

interface Procedure {
  name: string;
  kind: "query" | "mutation";
  scope: TokenScope;
  input: (namespace: string) => object;
  /** Status with the right token: the procedure works (or answers its own domain status). */
  ok: number;
}

const procedures: Procedure[] = [
  { name: "get", kind: "query", scope: "read", input: (namespace) => ({ namespace, key: "k" }), ok: 200 },
  { name: "stats", kind: "query", scope: "read", input: (namespace) => ({ namespace }), ok: 200 },
  { name: "status", kind: "query", scope: "read", input: (namespace) => ({ namespace, id: "no-such-job" }), ok: 404 },
  { name: "set", kind: "mutation", scope: "write", input: (namespace) => ({ namespace, key: "k", value: 1 }), ok: 200 },
  { name: "delete", kind: "mutation", scope: "write", input: (namespace) => ({ namespace, key: "k" }), ok: 200 },
  { name: "invalidate", kind: "mutation", scope: "invalidate", input: (namespace) => ({ namespace, tags: ["t"] }), ok: 200 },
  { name: "flush", kind: "mutation", scope: "admin", input: (namespace) => ({ namespace }), ok: 200 },
  // "products" has no origin here: past auth, warm answers its own 400 saying so.
  { name: "warm", kind: "mutation", scope: "admin", input: (namespace) => ({ namespace, keys: ["k"] }), ok: 400 },
];

function call(procedure: Procedure, namespace: string, headers: Record<string, string>): Promise<Reply> {
  const client = makeClient(server.url, headers);
  const input = procedure.input(namespace);
  return (procedure.kind === "query" ? client.query(procedure.name, input) : client.mutate(procedure.name, input)).then(record);
}

beforeAll(async () => {
  server = await startDevServer({
    vars: {
      CACHE_CONFIG: { namespaces: { default: {}, open: { publicRead: true } } },
      CACHE_TOKENS: cacheTokensVar(allTokens),
    },
    // Every request's log line is in the output the secrets test scans.
    logLevel: "log",
    configOverrides: {
      ratelimits: [
        { name: "TOKEN_RATE_LIMITER", namespace_id: "1001", simple: { limit: RATE_LIMIT, period: 10 } },
        { name: "ANON_RATE_LIMITER", namespace_id: "1002", simple: { limit: ANON_RATE_LIMIT, period: 10 } },
        { name: "AUTH_FAIL_RATE_LIMITER", namespace_id: "1003", simple: { limit: 1_000, period: 60 } },
      ],
    },
  });
});

afterAll(async () => {
  await server?.stop();
});

describe("the 401 / 403 matrix", () => {
  for (const procedure of procedures) {
    it(`${procedure.name}: no token 401, unknown token 401, wrong scope 403, other namespace 403, right token works`, async () => {
      const anonymous = await call(procedure, "products", {});
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.message).toMatch(/needs a token/);

      const unknown = await call(procedure, "products", { authorization: "Bearer cs_not_a_real_token" });
      expect(unknown.status).toBe(401);
      expect(unknown.body.error.message).toMatch(/unknown token/);

      const otherScope = SCOPES.find((s) => s !== procedure.scope && s !== "admin")!;
      const wrongScope = await call(procedure, "products", bearer(forAll[otherScope]));
      expect(wrongScope.status).toBe(403);
      expect(wrongScope.body.error.message).toContain(`lacks the "${procedure.scope}" scope`);

      const wrongNamespace = await call(procedure, "elsewhere", bearer(forProducts[procedure.scope]));
      expect(wrongNamespace.status).toBe(403);
      expect(wrongNamespace.body.error.message).toContain(`may not use namespace "elsewhere"`);

      const right = await call(procedure, "products", bearer(forProducts[procedure.scope]));
      expect(right.status, JSON.stringify(right.body)).toBe(procedure.ok);

      const admin = await call(procedure, "products", bearer(forAll.admin));
      expect(admin.status, "admin includes every scope").toBe(procedure.ok);
    });
  }
});

describe("public reads", () => {
  it("a publicRead namespace serves get and the proxy without a token, but not writes", async () => {
    const writer = makeClient(server.url, bearer(forAll.write));
    expect(record(await writer.mutate("set", { namespace: "open", key: "hello", value: "world" })).status).toBe(200);
    const anonymous = makeClient(server.url);
    expect(record(await anonymous.query("get", { namespace: "open", key: "hello" })).body.result.data.value).toBe("world");
    expect(record(await anonymous.raw("/r/open/hello")).body).toBe("world");
    expect(record(await anonymous.mutate("set", { namespace: "open", key: "hello", value: "x" })).status).toBe(401);
    expect(record(await anonymous.query("stats", { namespace: "open" })).status).toBe(401);
    expect(record(await anonymous.raw("/r/products/hello")).status).toBe(401);
  });
});

describe("rate limits", () => {
  it("hammering one token past its limit gives 429 with Retry-After; other tokens are unaffected", async () => {
    const hammer = makeClient(server.url, bearer(limited));
    // 3× the limit: even a burst split across two of the limiter's fixed windows overflows one of them.
    const results = await Promise.all(Array.from({ length: RATE_LIMIT * 3 }, () => hammer.query("get", { key: "k" }).then(record)));
    const limitedReplies = results.filter((r) => r.status === 429);
    expect(limitedReplies.length).toBeGreaterThan(0);
    for (const reply of limitedReplies) {
      expect(Number(reply.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(reply.body.error.data.code).toBe("TOO_MANY_REQUESTS");
    }
    expect(results.every((r) => r.status === 200 || r.status === 429)).toBe(true);
    const other = record(await makeClient(server.url, bearer(bystander)).query("get", { key: "k" }));
    expect(other.status).toBe(200);
  });

  it("anonymous public reads are limited per client address; token callers are unaffected", async () => {
    const anonymous = makeClient(server.url);
    const results = await Promise.all(
      Array.from({ length: ANON_RATE_LIMIT * 3 }, (_, i) =>
        (i % 2 ? anonymous.raw("/r/open/hello") : anonymous.query("get", { namespace: "open", key: "hello" })).then(record),
      ),
    );
    const limitedReplies = results.filter((r) => r.status === 429);
    expect(limitedReplies.length).toBeGreaterThan(0);
    for (const reply of limitedReplies) {
      expect(Number(reply.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(JSON.stringify(reply.body)).toContain("too many anonymous requests");
    }
    expect(results.every((r) => r.status === 200 || r.status === 429)).toBe(true);
    const withToken = record(await makeClient(server.url, bearer(bystander)).query("get", { namespace: "open", key: "hello" }));
    expect(withToken.status).toBe(200);
  });
});

describe("secrets", () => {
  it("no token string appears in wrangler dev output or in any response body", async () => {
    expect(replies.length).toBeGreaterThan(40);
    // The request log is part of what is scanned (wrangler forwards the Worker's lines a moment later).
    await expect.poll(() => server.output(), { timeout: 15_000 }).toContain('"event":"request"');
    const everything = server.output() + replies.map((r) => JSON.stringify(r.body) + JSON.stringify([...r.headers])).join("\n");
    for (const issued of allTokens) expect(everything).not.toContain(issued.token);
  });
});

describe("a deployment with no tokens", () => {
  it("refuses every write instead of running open", async () => {
    const bare = await startDevServer({ vars: { CACHE_CONFIG: { namespaces: { default: {} } } } });
    try {
      const client = makeClient(bare.url);
      for (const procedure of procedures.filter((p) => p.kind === "mutation")) {
        const reply = await client.mutate(procedure.name, procedure.input("default"));
        expect(reply.status, procedure.name).toBe(401);
        expect(reply.body.error.message, procedure.name).toMatch(/no tokens are configured/);
      }
    } finally {
      await bare.stop();
    }
  });
});
