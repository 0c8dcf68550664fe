// `token create` output accepted by a real server: wrangler dev is started with the entries the
// CLI printed in CACHE_TOKENS, and the raw tokens it printed are then used to call it.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { runCli } from "./support/run-cli.ts";

const TOKEN_FORMAT = /^cs_[A-Za-z0-9_-]{43}$/; // 32 random bytes, base64url

let server: DevServer;
let writer: { token: string; entry: Record<string, unknown> };
let admin: { token: string; entry: Record<string, unknown> };
let adminText = "";

beforeAll(async () => {
  const json = await runCli(["token", "create", "--id", "cli-writer", "--scopes", "read,write", "--namespaces", "tok-a,tok-b", "--json"]);
  expect(json.code).toBe(0);
  writer = json.json();
  // The text form, as a person would copy it: the token on its own line, then the entry.
  const text = await runCli(["token", "create", "--id", "cli-admin", "--scopes", "admin", "--namespaces", "*"]);
  expect(text.code).toBe(0);
  adminText = text.stdout;
  const lines = text.stdout.split("\n").map((line) => line.trim());
  admin = { token: lines.find((line) => TOKEN_FORMAT.test(line))!, entry: JSON.parse(lines.find((line) => line.startsWith("{"))!) };
  server = await startDevServer({ vars: { CACHE_CONFIG: { namespaces: { default: {} } }, CACHE_TOKENS: [writer.entry, admin.entry] } });
});

afterAll(async () => {
  await server?.stop();
});

const as = (token: string, namespace = "tok-a") => ({
  CACHE_SYNC_URL: server.url,
  CACHE_SYNC_TOKEN: token,
  CACHE_SYNC_NAMESPACE: namespace,
});

describe("token create", () => {
  it("prints a random cs_ token and its CACHE_TOKENS entry: id, hex SHA-256 of the token, scopes, namespaces", () => {
    expect(writer.token).toMatch(TOKEN_FORMAT);
    expect(writer.entry).toEqual({
      id: "cli-writer",
      sha256: createHash("sha256").update(writer.token).digest("hex"),
      scopes: ["read", "write"],
      namespaces: ["tok-a", "tok-b"],
    });
    expect(admin.token).toMatch(TOKEN_FORMAT);
    expect(admin.token).not.toBe(writer.token);
    expect(admin.entry).toEqual({
      id: "cli-admin",
      sha256: createHash("sha256").update(admin.token).digest("hex"),
      scopes: ["admin"],
      namespaces: ["*"],
    });
    // Shown once, and the entry carries no trace of it.
    expect(adminText.split(admin.token)).toHaveLength(2);
  });

  it("the server accepts the created tokens with exactly the scopes and namespaces asked for", async () => {
    expect((await runCli(["set", "k", '"v"'], { env: as(writer.token) })).code).toBe(0);
    const read = await runCli(["get", "k", "--json"], { env: as(writer.token) });
    expect([read.code, read.json().value]).toEqual([0, "v"]);
    expect((await runCli(["get", "k"], { env: as(writer.token, "tok-b") })).code).toBe(2);

    const noScope = await runCli(["invalidate", "--key", "k"], { env: as(writer.token) });
    expect(noScope.code).toBe(3);
    expect(noScope.stderr).toMatch(/FORBIDDEN: token "cli-writer" lacks the "invalidate" scope/);
    const otherNamespace = await runCli(["get", "k"], { env: as(writer.token, "default") });
    expect(otherNamespace.code).toBe(3);

    expect((await runCli(["invalidate", "--key", "k", "--wait"], { env: as(admin.token) })).code).toBe(0);
    expect((await runCli(["flush"], { env: as(admin.token, "default") })).code).toBe(0);
  });

  it("the server's output never contains a created token", () => {
    expect(server.output()).not.toContain(writer.token);
    expect(server.output()).not.toContain(admin.token);
  });

  it("refuses an entry the server would refuse (exit 1, naming the field), and missing options", async () => {
    const bad = await runCli(["token", "create", "--id", "x", "--scopes", "read,delete", "--namespaces", "Products", "--json"]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe("");
    const { error } = JSON.parse(bad.stderr);
    expect(error.code).toBe("USAGE");
    expect(error.issues.map((issue: { path: string }) => issue.path)).toEqual(["scopes.1", "namespaces.0"]);
    const missing = await runCli(["token", "create", "--id", "x", "--scopes", "read"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/--namespaces <namespaces>' not specified/);
  });
});
