#!/usr/bin/env node
// `npm run dev`: everything a fresh checkout needs to serve on http://127.0.0.1:8787 —
// the dashboard's assets (http://127.0.0.1:8787/dashboard/; the root script builds them before
// this runs, as their package is not the server's), a dev token (generated once into .dev.vars,
// git-ignored, printed once), the local D1 migrations, then `wrangler dev` offline with local state.
// Overridable for tests: PORT, DEV_STATE_DIR, DEV_VARS_FILE; extra arguments go to wrangler dev.
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const state = process.env.DEV_STATE_DIR ?? ".wrangler/state";
const varsFile = resolve(root, process.env.DEV_VARS_FILE ?? ".dev.vars");
const port = process.env.PORT ?? "8787";
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };
const wranglerBin = resolve(root, "node_modules/wrangler/bin/wrangler.js");

ensureDevToken();

const migrate = spawnSync(process.execPath, [wranglerBin, "d1", "migrations", "apply", "MAIN_DB", "--local", "--persist-to", state], {
  cwd: root,
  env,
  stdio: ["ignore", "ignore", "inherit"],
});
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const dev = spawn(
  process.execPath,
  [
    wranglerBin,
    "dev",
    "--local",
    "--ip",
    "127.0.0.1",
    "--port",
    port,
    "--persist-to",
    state,
    "--env-file",
    varsFile,
    ...process.argv.slice(2),
  ],
  { cwd: root, env, stdio: "inherit" },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));

/** Writes a local admin token into the vars file unless one is configured, and prints it this once. */
function ensureDevToken() {
  const existing = existsSync(varsFile) ? readFileSync(varsFile, "utf8") : "";
  if (/^CACHE_TOKENS\s*=/m.test(existing)) {
    console.log(`cache-sync: using the tokens in ${varsFile} (the dev token is on its first line)`);
    return;
  }
  const token = `cs_dev_${randomBytes(24).toString("base64url")}`;
  const tokens = [{ id: "dev", sha256: createHash("sha256").update(token).digest("hex"), scopes: ["admin"], namespaces: ["*"] }];
  const lines = [`# dev token (local only, admin on every namespace): ${token}`, `CACHE_TOKENS='${JSON.stringify(tokens)}'`];
  writeFileSync(varsFile, `${lines.join("\n")}\n${existing}`);
  console.log(`cache-sync: generated a local dev token (saved in ${varsFile}):\n\n  Authorization: Bearer ${token}\n`);
}
