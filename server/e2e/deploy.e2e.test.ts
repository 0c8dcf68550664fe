// `npm run deploy -- --dry-run`: the preflight refuses what would fail or misbehave once deployed,
// with a message saying what to fix, and passes a configured copy through to a bundled Worker.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { derivedConfig } from "@cache-sync/dev-kit/wrangler-dev";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const deploy = (...args: string[]) => {
  const run = spawnSync("npm", ["run", "-s", "deploy", "--", "--dry-run", ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, CLOUDFLARE_API_TOKEN: "" },
  });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
};
const repoConfig = JSON.parse(readFileSync(`${repoRoot}wrangler.jsonc`, "utf8").replace(/^\s*\/\/.*$/gm, ""));
const realDatabase = [{ ...repoConfig.d1_databases[0], database_id: "5f0c7e3a-9a41-4c8e-9d2b-6a1f2e3d4c5b" }];

describe("npm run deploy -- --dry-run", () => {
  it("refuses the repository's placeholder D1 id, saying how to get a real one", () => {
    const { status, output } = deploy();
    expect(status).toBe(1);
    expect(output).toMatch(/refusing to deploy/);
    expect(output).toMatch(/database_id is the placeholder 00000000-0000-0000-0000-000000000000.*wrangler d1 create/);
    expect(deploy("--env", "production").output).toMatch(/in env\.production/);
  });

  it("passes a configured copy and bundles the Worker without uploading", () => {
    const { status, output } = deploy("--config", derivedConfig({ d1_databases: realDatabase }));
    expect(status, output).toBe(0);
    expect(output).toMatch(/preflight: ok/);
    expect(output).toMatch(/secrets not checked \(--dry-run/);
    expect(output).toMatch(/--dry-run: exiting now/);
  });

  it("refuses rate limiters sharing a namespace id, an invalid CACHE_CONFIG and tokens in vars", () => {
    const config = derivedConfig({
      d1_databases: realDatabase,
      ratelimits: repoConfig.ratelimits.map((limiter: Record<string, unknown>) => ({ ...limiter, namespace_id: "1001" })),
      vars: { CACHE_CONFIG: { namespaces: { products: { shards: 0 } } }, CACHE_TOKENS: "[]" },
    });
    const { status, output } = deploy("--config", config);
    expect(status).toBe(1);
    expect(output).toMatch(/TOKEN_RATE_LIMITER, ANON_RATE_LIMITER and AUTH_FAIL_RATE_LIMITER share namespace_id 1001/);
    expect(output).toMatch(/CACHE_CONFIG in the top level: namespaces\.products\.shards: /);
    expect(output).toMatch(/CACHE_TOKENS is set .*secret put CACHE_TOKENS/);
  });
});
