#!/usr/bin/env node
// `npm run dev`: everything a fresh checkout needs to serve on http://127.0.0.1:8787 —
// apply the local D1 migrations, then run `wrangler dev` offline with local state.
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const state = ".wrangler/state";
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };
const wrangler = (args, options = {}) => spawnSync("npx", ["wrangler", ...args], { cwd: root, env, stdio: "inherit", ...options });

const migrate = wrangler(["d1", "migrations", "apply", "MAIN_DB", "--local", "--persist-to", state]);
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const port = process.env.PORT ?? "8787";
const dev = spawn(
  "npx",
  ["wrangler", "dev", "--local", "--ip", "127.0.0.1", "--port", port, "--persist-to", state, ...process.argv.slice(2)],
  { cwd: root, env, stdio: "inherit" },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));
