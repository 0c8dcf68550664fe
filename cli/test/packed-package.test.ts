// The published package as a user gets it: the built CLI and SDK packed (`npm pack`, without the
// prepack build: the tests use the existing build), installed into an empty project, and the
// `cache-sync` bin run from there, with no contracts, zod or commander installed beside it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const cliRoot = fileURLToPath(new URL("..", import.meta.url));
const sdkRoot = join(cliRoot, "..", "client-sdk");
let project: string;

const run = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, npm_config_update_notifier: "false" },
  });

/** `npm pack` into `into`; returns the tarball's path. */
function pack(root: string, into: string): string {
  const [packed] = JSON.parse(run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", into], root)) as [
    { filename: string },
  ];
  return join(into, packed.filename);
}

beforeAll(() => {
  const packDir = mkdtempSync(join(tmpdir(), "cli-pack-"));
  const tarballs = [pack(sdkRoot, packDir), pack(cliRoot, packDir)];
  project = mkdtempSync(join(tmpdir(), "cli-user-"));
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "user", private: true }));
  run("npm", ["install", ...tarballs, "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"], project);
}, 180_000);

describe("the packed @cache-sync/cli", () => {
  it("ships the bundle, README, LICENSE and package.json only, with the bin executable", () => {
    const [packed] = JSON.parse(run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], cliRoot)) as [
      { files: { path: string; mode: number }[] },
    ];
    expect(packed.files.map((file) => file.path).sort()).toEqual([
      "LICENSE",
      "README.md",
      "bin/cache-sync.js",
      "dist/cache-sync.js",
      "package.json",
    ]);
    expect(packed.files.find((file) => file.path === "bin/cache-sync.js")!.mode & 0o111).not.toBe(0);
    expect(readFileSync(join(cliRoot, "dist/cache-sync.js"), "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });

  it("depends on the SDK alone: contracts, zod and commander are inside the bundle", () => {
    const manifest = JSON.parse(readFileSync(join(project, "node_modules/@cache-sync/cli/package.json"), "utf8"));
    expect(manifest.dependencies).toEqual({ "@cache-sync/client": "^0.1.0" });
    expect(manifest).toMatchObject({ bin: { "cache-sync": "bin/cache-sync.js" }, license: "MIT", engines: { node: ">=20" } });
    expect(readdirSync(join(project, "node_modules/@cache-sync")).sort()).toEqual(["cli", "client"]);
    const installed = readdirSync(join(project, "node_modules"));
    expect(installed).not.toContain("zod");
    expect(installed).not.toContain("commander");
  });

  it("the installed bin runs every offline command: --version, token create, config check", () => {
    const bin = join(project, "node_modules/.bin/cache-sync");
    expect(run(bin, ["--version"], project).trim()).toBe(JSON.parse(readFileSync(join(cliRoot, "package.json"), "utf8")).version);
    const created = JSON.parse(run(bin, ["token", "create", "--id", "ci", "--scopes", "read", "--namespaces", "*", "--json"], project));
    expect(created.entry).toMatchObject({ id: "ci", scopes: ["read"], namespaces: ["*"] });
    writeFileSync(join(project, "config.json"), JSON.stringify({ namespaces: { products: { shards: 2 } } }));
    const report = JSON.parse(run(bin, ["config", "check", "config.json", "--json"], project));
    expect(report).toMatchObject({ valid: true, namespaces: { products: { settings: { shards: 2, freshMs: 60_000 } } } });
  });

  it("the installed bin reaches a server through the installed SDK (NETWORK_ERROR, exit 4, with nothing listening)", () => {
    const bin = join(project, "node_modules/.bin/cache-sync");
    let status = 0;
    let stderr = "";
    try {
      run(bin, ["get", "k", "--url", "http://127.0.0.1:9", "--timeout-ms", "5000"], project);
    } catch (error) {
      ({ status, stderr } = error as { status: number; stderr: string });
    }
    expect(status).toBe(4);
    expect(stderr).toMatch(/^cache-sync: NETWORK_ERROR: /);
  });
});
