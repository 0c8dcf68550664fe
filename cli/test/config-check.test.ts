// `config check`: a CACHE_CONFIG file validated with the contracts' schema (the server's), each
// namespace's resolved settings printed with defaults applied, and bad files refused naming the field.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cacheConfig } from "@cache-sync/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli.ts";

const good = {
  namespaces: {
    default: { shards: 4, publicRead: true },
    products: { freshMs: 1_000, origin: { url: "https://api.example.com/products/{key}", headers: { "x-api": "1" } } },
  },
  maxBatchSize: 20,
};
const bad = {
  namespaces: {
    products: { shards: "eight", origin: { url: "ftp://api.example.com/{key}" } },
    ledger: { writeBehind: { sink: "http" } },
  },
};

let dir: string;
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cache-sync-cli-config-"));
});

describe("config check", () => {
  it("a good file: exit 0, each namespace with defaults applied, marked set or (default)", async () => {
    const path = file("good.json", JSON.stringify(good));
    const result = await runCli(["config", "check", path]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${path}: valid CACHE_CONFIG`);
    const section = (title: string) => result.stdout.split("\n\n").find((s) => s.startsWith(title))!;
    expect(section("top level")).toMatch(/^ +maxBatchSize +20 +set$/m);
    expect(section("top level")).toMatch(/^ +corsOrigins +\[\] +\(default\)$/m);
    const products = section('namespace "products": its own entry, defaults applied');
    expect(products).toMatch(/^ +freshMs +1000 +set$/m);
    expect(products).toMatch(/^ +shards +8 +\(default\)$/m); // not inherited from default
    expect(products).toMatch(/^ +origin\.timeoutMs +5000 +\(default\)$/m);
    expect(products).toMatch(/^ +origin\.headers +\{"x-api":"1"\} +set$/m);
    const other = section("any other namespace: namespaces.default, except publicRead");
    expect(other).toMatch(/^ +shards +4 +set$/m);
    expect(other).toMatch(/^ +publicRead +false +\(default\)$/m);
  });

  it("--json: the resolved config is exactly what the server's schema makes of the file", async () => {
    const result = await runCli(["config", "check", file("good-json.json", JSON.stringify(good)), "--json"]);
    expect(result.code).toBe(0);
    const report = result.json();
    expect(report.valid).toBe(true);
    expect(report.config).toEqual(cacheConfig.parse(good));
    expect(report.namespaces.products.settings).toEqual(cacheConfig.parse(good).namespaces.products);
    expect(report.unlisted.settings).toEqual({ ...cacheConfig.parse(good).namespaces.default, publicRead: false });
  });

  it("with no namespaces.default, other namespaces get the built-in defaults", async () => {
    const result = await runCli(["config", "check", file("empty.json", "{}"), "--json"]);
    expect(result.code).toBe(0);
    expect(result.json().unlisted).toMatchObject({
      resolvesFrom: expect.stringContaining("built-in defaults"),
      settings: { shards: 8, freshMs: 60_000 },
    });
  });

  it("a bad file: exit 1, every bad field named by its path", async () => {
    const path = file("bad.json", JSON.stringify(bad));
    const result = await runCli(["config", "check", path]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(`cache-sync: INVALID_CONFIG: ${path} is not a valid CACHE_CONFIG:`);
    expect(result.stderr).toMatch(/^ +namespaces\.products\.shards: .*expected number/m);
    expect(result.stderr).toMatch(/^ +namespaces\.products\.origin\.url: must be an http: or https: URL$/m);
    expect(result.stderr).toMatch(/^ +namespaces\.ledger\.writeBehind\.url: writeBehind\.url is required when sink is http$/m);

    const json = await runCli(["config", "check", path, "--json"]);
    expect(json.code).toBe(1);
    expect(json.json().valid).toBe(false);
    expect(json.json().issues.map((issue: { path: string }) => issue.path)).toContain("namespaces.products.shards");
    expect(JSON.parse(json.stderr).error).toMatchObject({ code: "INVALID_CONFIG", exitCode: 1 });
  });

  it("a file that is not JSON, or is not there, exits 1 saying so", async () => {
    const notJson = await runCli(["config", "check", file("broken.json", "{namespaces: nope")]);
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toMatch(/INVALID_CONFIG: .*broken\.json is not JSON/);
    const missing = await runCli(["config", "check", join(dir, "absent.json")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/USAGE: cannot read .*absent\.json: ENOENT/);
  });
});
