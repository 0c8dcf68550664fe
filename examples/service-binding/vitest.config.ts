// Runs the example Worker inside workerd with the real cache-sync Worker as an auxiliary worker
// behind its `CACHE` service binding. Auxiliary workers need built JavaScript, so the cache is
// bundled first with `wrangler deploy --dry-run`; its bindings come from the repo's wrangler.jsonc.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { defineConfig } from "vitest/config";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const outdir = fileURLToPath(new URL("./.cache-sync-build", import.meta.url));
const built = spawnSync(process.execPath, [`${repoRoot}node_modules/wrangler/bin/wrangler.js`, "deploy", "--dry-run", "--outdir", outdir], {
  cwd: repoRoot,
  env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  encoding: "utf8",
});
if (built.status !== 0) throw new Error(`could not build the cache-sync worker:\n${built.stdout}\n${built.stderr}`);

/** The token the tests send when they speak tRPC through `binding.fetch` (RPC needs none). */
export const TEST_TOKEN = "example-binding-token-31c9";
const tokens = [{ id: "example", sha256: createHash("sha256").update(TEST_TOKEN).digest("hex"), scopes: ["admin"], namespaces: ["*"] }];

const { workerOptions } = unstable_getMiniflareWorkerOptions(`${repoRoot}wrangler.jsonc`);

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.jsonc" },
      miniflare: {
        bindings: { TEST_TOKEN },
        workers: [
          {
            ...workerOptions,
            name: "cache-sync",
            modules: true,
            modulesRoot: outdir,
            scriptPath: `${outdir}/index.js`,
            bindings: {
              ...workerOptions.bindings,
              CACHE_CONFIG: JSON.stringify({ namespaces: { default: {}, catalog: {} } }),
              CACHE_TOKENS: JSON.stringify(tokens),
            },
          },
        ],
      },
    }),
  ],
  // The example runs against the SDK's source, so its tests need no prior build of the package.
  resolve: { alias: { "@cache-sync/client": fileURLToPath(new URL("../../client-sdk/src/index.ts", import.meta.url)) } },
  test: { include: ["test/**/*.test.ts"] },
});
