// get / set / del through the built CLI against wrangler dev: --json output, text output, values
// from stdin, the global options from flags or CACHE_SYNC_* env, and the exit codes of each failure.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli.ts";
import { startTestCache, type TestCache } from "./support/test-cache.ts";

let cache: TestCache;

beforeAll(async () => {
  cache = await startTestCache((origin) => ({
    default: {},
    products: { origin: { url: `${origin}/items/{key}`, timeoutMs: 5_000 } },
  }));
});

afterAll(async () => {
  await cache?.stop();
});

describe("get, set, del", () => {
  it("set then get round-trips a JSON value with its tags, ttl and version (--json)", async () => {
    const before = Date.now();
    const set = await runCli(
      [
        "set",
        "sku-1",
        '{"name":"shoe","price":12.5}',
        "--ttl-ms",
        "60000",
        "--stale-ms",
        "5000",
        "--tag",
        "catalog",
        "--tag",
        "shoes",
        "--json",
      ],
      { env: cache.env() },
    );
    expect(set.code).toBe(0);
    const written = set.json<{ version: number; freshUntil: number; staleUntil: number }>();
    expect(written.freshUntil - before).toBeGreaterThanOrEqual(59_000);
    expect(written.freshUntil - before).toBeLessThanOrEqual(60_000 + (Date.now() - before));
    expect(written.staleUntil - written.freshUntil).toBe(5_000);
    expect(set.stderr).toBe("");

    const get = await runCli(["get", "sku-1", "--json"], { env: cache.env() });
    expect(get.code).toBe(0);
    expect(get.json()).toEqual({
      found: true,
      value: { name: "shoe", price: 12.5 },
      state: "fresh",
      source: expect.any(String),
      version: written.version,
      ageMs: expect.any(Number),
      tags: ["catalog", "shoes"],
    });
  });

  it("get without --json prints just the value, ready for a pipe", async () => {
    await runCli(["set", "plain", '{"a":[1,2]}'], { env: cache.env() });
    const get = await runCli(["get", "plain"], { env: cache.env() });
    expect(get.code).toBe(0);
    expect(JSON.parse(get.stdout)).toEqual({ a: [1, 2] });
  });

  it("set - reads the value from stdin", async () => {
    const set = await runCli(["set", "from-stdin", "-", "--json"], { env: cache.env(), stdin: '{"big":"value","n":3}\n' });
    expect(set.code).toBe(0);
    const get = await runCli(["get", "from-stdin", "--json"], { env: cache.env() });
    expect(get.json().value).toEqual({ big: "value", n: 3 });
  });

  it("get of a missing key exits 2 with NOT_FOUND on stderr and the found:false document on stdout", async () => {
    const get = await runCli(["get", "never-written", "--json"], { env: cache.env() });
    expect(get.code).toBe(2);
    expect(get.json()).toMatchObject({ found: false, value: null, version: null });
    expect(JSON.parse(get.stderr)).toMatchObject({ error: { code: "NOT_FOUND", exitCode: 2 } });

    const text = await runCli(["get", "never-written"], { env: cache.env() });
    expect(text.code).toBe(2);
    expect(text.stdout).toBe("");
    expect(text.stderr).toMatch(/^cache-sync: NOT_FOUND: key "never-written" is not in namespace "default"/);
  });

  it("del deletes (deleted: true), a second del finds nothing (deleted: false, still exit 0), then get exits 2", async () => {
    await runCli(["set", "doomed", "1"], { env: cache.env() });
    const first = await runCli(["del", "doomed", "--json"], { env: cache.env() });
    expect([first.code, first.json()]).toEqual([0, { deleted: true }]);
    const second = await runCli(["delete", "doomed", "--json"], { env: cache.env() });
    expect([second.code, second.json()]).toEqual([0, { deleted: false }]);
    expect((await runCli(["get", "doomed"], { env: cache.env() })).code).toBe(2);
  });

  it("--namespace and CACHE_SYNC_NAMESPACE choose the namespace; flags win over env", async () => {
    const viaEnv = await runCli(["get", "from-origin", "--json"], { env: { ...cache.env(), CACHE_SYNC_NAMESPACE: "products" } });
    expect(viaEnv.code).toBe(0);
    expect(viaEnv.json()).toMatchObject({ found: true, source: "origin", value: { key: "from-origin" } });

    await runCli(["set", "ns-only", '"here"', "--namespace", "products"], { env: cache.env() });
    expect((await runCli(["get", "ns-only", "--namespace", "products"], { env: cache.env() })).code).toBe(0);
    expect((await runCli(["get", "ns-only"], { env: cache.env() })).code).toBe(2);
    const flagWins = await runCli(["get", "ns-only", "--namespace", "default"], {
      env: { ...cache.env(), CACHE_SYNC_NAMESPACE: "products" },
    });
    expect(flagWins.code).toBe(2);
  });

  it("--url and --token flags work without the env vars", async () => {
    const get = await runCli(["--url", cache.server.url, "--token", cache.admin.token, "get", "sku-1", "--json"]);
    expect(get.code).toBe(0);
    expect(get.json().value).toEqual({ name: "shoe", price: 12.5 });
  });
});

describe("exit codes and errors", () => {
  it("a value that is not JSON is a usage error (exit 1) and nothing is written", async () => {
    const set = await runCli(["set", "bad-value", "hello"], { env: cache.env() });
    expect(set.code).toBe(1);
    expect(set.stdout).toBe("");
    expect(set.stderr).toMatch(/USAGE: the value is not JSON .*'"hello"'/);
    expect((await runCli(["get", "bad-value"], { env: cache.env() })).code).toBe(2);
  });

  it("input the server refuses is BAD_REQUEST, exit 1, naming the field", async () => {
    const set = await runCli(["set", "k", "1", "--tag", "t".repeat(200), "--json"], { env: cache.env() });
    expect(set.code).toBe(1);
    expect(set.stdout).toBe("");
    const { error } = JSON.parse(set.stderr);
    expect(error).toMatchObject({ code: "BAD_REQUEST", status: 400, exitCode: 1 });
    expect(error.issues[0].path).toEqual(["tags", 0]);
  });

  it("an unknown token is UNAUTHORIZED, exit 3, and the token is printed nowhere", async () => {
    const secret = "cs_not_a_real_token_4f1d9a";
    const get = await runCli(["get", "sku-1", "--url", cache.server.url, "--token", secret]);
    const viaUrlEnv = await runCli(["get", "sku-1"], { env: { CACHE_SYNC_URL: cache.server.url, CACHE_SYNC_TOKEN: secret } });
    for (const run of [get, viaUrlEnv]) {
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/^cache-sync: UNAUTHORIZED: /);
      expect(run.stdout + run.stderr).not.toContain(secret);
    }
  });

  it("no token at all is UNAUTHORIZED, exit 3", async () => {
    const get = await runCli(["get", "sku-1"], { env: { CACHE_SYNC_URL: cache.server.url } });
    expect(get.code).toBe(3);
    expect(get.stderr).toMatch(/UNAUTHORIZED: get needs a token/);
  });

  it("a token without the scope or the namespace is FORBIDDEN, exit 3", async () => {
    const write = await runCli(["set", "k", "1", "--json"], { env: cache.env(cache.reader.token) });
    expect(write.code).toBe(3);
    expect(JSON.parse(write.stderr)).toMatchObject({ error: { code: "FORBIDDEN", status: 403 } });
    const otherNamespace = await runCli(["get", "k", "--namespace", "products"], { env: cache.env(cache.reader.token) });
    expect(otherNamespace.code).toBe(3);
    expect(otherNamespace.stderr).toMatch(/FORBIDDEN: .*namespace "products"/);
    const read = await runCli(["get", "sku-1"], { env: cache.env(cache.reader.token) });
    expect(read.code).toBe(0);
  });
});
