#!/usr/bin/env node
/**
 * `npm run deploy [-- --env staging|production] [--dry-run] [--config wrangler.jsonc]`:
 * preflight (deploy-preflight.ts), then `wrangler deploy` of the Worker with the dashboard's
 * assets, which the root script builds before this runs (their package is not the server's). Refuses
 * with the list of problems when the preflight finds any. With --dry-run it bundles without
 * uploading (`wrangler deploy --dry-run`), so it needs no account.
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { preflight } from "./deploy-preflight.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const wrangler = resolve(root, "node_modules/wrangler/bin/wrangler.js");
const { values } = parseArgs({
  options: {
    env: { type: "string" },
    "dry-run": { type: "boolean", default: false },
    config: { type: "string", default: "wrangler.jsonc" },
  },
});
const configPath = resolve(root, values.config!);
const envArgs = values.env ? ["--env", values.env] : [];

const { problems, notes } = preflight(configPath, values.env);
for (const note of notes) console.log(`preflight: ${note}`);
if (problems.length > 0) {
  console.error(`preflight: refusing to deploy, ${problems.length} problem(s):`);
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}

// Secrets live in the account: check them when one is reachable, and say so when not.
if (values["dry-run"]) {
  console.log("preflight: secrets not checked (--dry-run uploads nothing and needs no account)");
} else if (!process.env.CLOUDFLARE_API_TOKEN) {
  console.log("preflight: secrets not checked (no CLOUDFLARE_API_TOKEN; wrangler will ask you to log in)");
} else {
  const listed = spawnSync(process.execPath, [wrangler, "secret", "list", "-c", configPath, ...envArgs], { cwd: root, encoding: "utf8" });
  if (listed.status !== 0) console.log(`preflight: could not list secrets (${listed.stderr.trim().split("\n")[0]}); not checked`);
  else if (!listed.stdout.includes("CACHE_TOKENS")) {
    console.error(
      "preflight: refusing to deploy: the CACHE_TOKENS secret is not set; make a token (npx cache-sync token create …) and run npx wrangler secret put CACHE_TOKENS",
    );
    process.exit(1);
  }
}
console.log("preflight: ok");

const args = [
  "deploy",
  "-c",
  configPath,
  ...envArgs,
  ...(values["dry-run"] ? ["--dry-run", "--outdir", resolve(root, ".wrangler/deploy-dry-run")] : []),
];
const deployed = spawnSync(process.execPath, [wrangler, ...args], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
});
process.exit(deployed.status ?? 1);
