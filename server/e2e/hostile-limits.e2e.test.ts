// Hostile traffic against `wrangler dev`, with its real rate-limiting bindings set low:
// defect 6 (limits count calls, and failed authentications are limited per address) and
// defect 7 (a namespace nobody configured is never public, and needs a token that names it).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, cacheTokensVar, issueToken } from "@cache-sync/dev-kit/tokens";
import { startDevServer, type DevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { makeClient, type Reply } from "@cache-sync/dev-kit/http";

const TOKEN_LIMIT = 20;
const AUTH_FAILURE_LIMIT = 10;
const batcher = issueToken("batcher", ["read"], ["*"]);
const bystander = issueToken("bystander", ["read"], ["*"]);
const listedOnly = issueToken("listed-only", ["read"], ["listed"]);
const everywhere = issueToken("everywhere", ["read", "write"], ["*"]);

let server: DevServer;

beforeAll(async () => {
  server = await startDevServer({
    vars: {
      // `default` is public: before the fix every unlisted namespace inherited that.
      CACHE_CONFIG: { namespaces: { default: { publicRead: true }, listed: {} } },
      CACHE_TOKENS: cacheTokensVar([batcher, bystander, listedOnly, everywhere]),
    },
    configOverrides: {
      ratelimits: [
        { name: "TOKEN_RATE_LIMITER", namespace_id: "1001", simple: { limit: TOKEN_LIMIT, period: 10 } },
        { name: "ANON_RATE_LIMITER", namespace_id: "1002", simple: { limit: 1_000, period: 10 } },
        { name: "AUTH_FAIL_RATE_LIMITER", namespace_id: "1003", simple: { limit: AUTH_FAILURE_LIMIT, period: 60 } },
      ],
    },
  });
});

afterAll(async () => {
  await server?.stop();
});

const batchOfGets = (calls: number) => {
  const names = Array.from({ length: calls }, () => "get").join(",");
  const input = Object.fromEntries(Array.from({ length: calls }, (_, i) => [i, { key: `k${i}` }]));
  return `/trpc/${names}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`;
};

describe("rate limits count calls, not requests (issue: hostile traffic, 6)", () => {
  it("one batch of 45 calls is over a limit of 20 calls: 429 with Retry-After; other tokens are unaffected", async () => {
    // 45 > 2 × 20: even if the limiter's window turns during the batch, one window sees more than 20.
    const reply = await makeClient(server.url, bearer(batcher)).raw(batchOfGets(45));
    expect(reply.status, JSON.stringify(reply.body).slice(0, 300)).toBe(429);
    expect(Number(reply.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(reply.body.error.data.code).toBe("TOO_MANY_REQUESTS");
    expect((await makeClient(server.url, bearer(bystander)).raw(batchOfGets(5))).status).toBe(200);
  });
});

describe("failed authentications are limited per address (issue: hostile traffic, 6)", () => {
  it("guessing tokens gets 401 up to the limit, then 429 with Retry-After; a real token still works", async () => {
    const replies: Reply[] = [];
    for (let i = 0; i < AUTH_FAILURE_LIMIT * 3; i++) {
      replies.push(await makeClient(server.url, { authorization: `Bearer cs_guess_${i}_${"x".repeat(20)}` }).query("get", { key: "k" }));
    }
    const limited = replies.filter((reply) => reply.status === 429);
    expect(replies.every((reply) => reply.status === 401 || reply.status === 429)).toBe(true);
    expect(limited.length).toBeGreaterThanOrEqual(AUTH_FAILURE_LIMIT);
    for (const reply of limited) {
      expect(Number(reply.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(reply.body.error.message).toMatch(/too many failed authentications/);
    }
    // The proxy and /health count the same failures.
    expect((await makeClient(server.url, { authorization: "Bearer cs_guess_proxy_xxxxxxxxxxxx" }).raw("/r/default/k")).status).toBe(429);
    expect((await makeClient(server.url, bearer(everywhere)).query("get", { key: "k" })).status).toBe(200);
  });
});

describe("namespaces nobody configured (issue: hostile traffic, 7)", () => {
  it("inherit default's settings but not publicRead: anonymous callers never reach them", async () => {
    const writer = makeClient(server.url, bearer(everywhere));
    for (const namespace of ["default", "unlisted"]) {
      expect((await writer.mutate("set", { namespace, key: "hello", value: namespace })).status).toBe(200);
    }
    const anonymous = makeClient(server.url);
    expect((await anonymous.query("get", { namespace: "default", key: "hello" })).body.result.data.value).toBe("default");
    expect((await anonymous.raw("/r/default/hello")).status).toBe(200);
    const refused = await anonymous.query("get", { namespace: "unlisted", key: "hello" });
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toMatch(/needs a token/);
    expect((await anonymous.raw("/r/unlisted/hello")).status).toBe(401);
  });

  it('a token reaches one only when its namespaces name it or hold "*"', async () => {
    const narrow = await makeClient(server.url, bearer(listedOnly)).query("get", { namespace: "unlisted", key: "hello" });
    expect(narrow.status).toBe(403);
    expect(narrow.body.error.message).toContain('may not use namespace "unlisted"');
    const wide = await makeClient(server.url, bearer(everywhere)).query("get", { namespace: "unlisted", key: "hello" });
    expect(wide.body.result.data.value).toBe("unlisted");
  });
});
