// The CLI without a working server: help and version, usage errors (exit 1, nothing on stdout),
// a server that cannot be reached or does not answer (exit 4), and --json errors on stderr.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@cache-sync/dev-kit/free-port";
import { runCli } from "./support/run-cli.ts";

const SECRET = "cs_usage_test_secret_value_93kq";
let silent: Server;
let silentUrl: string;

beforeAll(async () => {
  // Accepts connections and never answers: what a hung server looks like.
  silent = createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
});

afterAll(async () => {
  silent?.closeAllConnections();
  await new Promise((resolve) => silent?.close(resolve));
});

describe("help and version", () => {
  it("--help lists every command, the env vars and the exit codes; it never shows a token", async () => {
    const result = await runCli(["--help"], { env: { CACHE_SYNC_TOKEN: SECRET } });
    expect(result.code).toBe(0);
    for (const command of ["get", "set", "del", "invalidate", "status", "warm", "stats", "flush", "token", "config"]) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
    }
    const flowing = result.stdout.replace(/\s+/g, " ");
    for (const env of ["CACHE_SYNC_URL", "CACHE_SYNC_TOKEN", "CACHE_SYNC_NAMESPACE"]) expect(flowing).toContain(`(env: ${env})`);
    expect(result.stdout).toContain("Exit codes: 0 ok, 1 usage");
    expect(result.stdout).not.toContain(SECRET);
  });

  it("--version prints the package version", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    const result = await runCli(["--version"]);
    expect([result.code, result.stdout]).toEqual([0, `${version}\n`]);
  });
});

describe("usage errors exit 1 with nothing on stdout", () => {
  it.each([
    ["no command", []],
    ["an unknown command", ["gte", "k"]],
    ["a missing argument", ["get"]],
    ["an unknown option", ["get", "k", "--bogus"]],
    ["a --ttl-ms that is not a whole number", ["set", "k", "1", "--ttl-ms", "soon"]],
  ])("%s", async (_name, args) => {
    const result = await runCli(args, { env: { CACHE_SYNC_URL: silentUrl } });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).not.toBe("");
  });

  it("an unknown command suggests the right one", async () => {
    expect((await runCli(["gte", "k"])).stderr).toMatch(/Did you mean get\?/);
  });

  it("no server URL says how to give one", async () => {
    const result = await runCli(["get", "k"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("cache-sync: USAGE: no server URL: pass --url <url> or set CACHE_SYNC_URL\n");
  });

  it("with --json the error is one JSON document on stderr, and stdout stays empty", async () => {
    const result = await runCli(["get", "k", "--json"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(JSON.parse(result.stderr)).toEqual({
      error: { code: "USAGE", message: "no server URL: pass --url <url> or set CACHE_SYNC_URL", exitCode: 1 },
    });
  });

  it("a namespace the contract does not allow", async () => {
    const result = await runCli(["get", "k", "--namespace", "Bad NS"], { env: { CACHE_SYNC_URL: silentUrl } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^cache-sync: USAGE: namespace "Bad NS" must be/);
  });
});

describe("server and network errors exit 4", () => {
  it("nothing listening: NETWORK_ERROR, and the token is printed nowhere", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    for (const args of [
      ["get", "k"],
      ["set", "k", "1"],
      ["stats", "--json"],
    ]) {
      const result = await runCli(args, { env: { CACHE_SYNC_URL: url, CACHE_SYNC_TOKEN: SECRET } });
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(/NETWORK_ERROR/);
      expect(result.stdout + result.stderr).not.toContain(SECRET);
    }
  });

  it("a server that does not answer: TIMEOUT after --timeout-ms", async () => {
    const started = Date.now();
    const result = await runCli(["get", "k", "--timeout-ms", "500"], { env: { CACHE_SYNC_URL: silentUrl, CACHE_SYNC_TOKEN: SECRET } });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^cache-sync: TIMEOUT: /);
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});
