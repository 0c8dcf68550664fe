#!/usr/bin/env node
// Builds the dashboard (server/dashboard) into the Worker's static assets directory
// (server/dashboard/assets, committed so that a clean checkout's `wrangler dev` starts; its
// built `dashboard/` folder is git-ignored; `assets.directory` in wrangler.jsonc): the TypeScript
// bundled with esbuild, against the SDK's source, so no prior build of any package is needed.
// Its `_headers` file (security headers for the assets, which are served before the Worker) is
// committed at the assets directory's root.
// Run by `npm run dev`, the tests and `npm run typecheck`; ~100 ms, so it simply always runs.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const dashboard = fileURLToPath(new URL("../dashboard/", import.meta.url));
const sdkSource = fileURLToPath(new URL("../../client-sdk/src/index.ts", import.meta.url));
/** The assets directory; the dashboard lives under /dashboard/ in it. */
export const assetsDir = join(dashboard, "assets");

export async function buildDashboard() {
  const out = join(assetsDir, "dashboard");
  mkdirSync(out, { recursive: true });
  // One build for the script and the style sheet: style.css @imports uPlot's CSS from node_modules.
  const result = await build({
    entryPoints: { app: join(dashboard, "src", "main.ts"), style: join(dashboard, "style.css") },
    outdir: out,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    sourcemap: false,
    write: false,
    alias: { "@cache-sync/client": sdkSource },
    logLevel: "warning",
  });
  // Written beside and renamed, so a server reading the directory never sees half a file.
  for (const file of result.outputFiles) writeAtomically(file.path, file.contents);
  writeAtomically(join(out, "index.html"), readFileSync(join(dashboard, "index.html")));
  return out;
}

/**
 * Written beside and renamed, so a server reading the directory never sees half a file; and not
 * at all when unchanged, so a rebuild (every test run does one) does not make a running
 * `wrangler dev` reload its assets and restart the Worker mid-request.
 */
function writeAtomically(file, contents) {
  mkdirSync(dirname(file), { recursive: true });
  if (existsSync(file) && Buffer.compare(readFileSync(file), Buffer.from(contents)) === 0) return;
  writeFileSync(`${file}.tmp`, contents);
  renameSync(`${file}.tmp`, file);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = await buildDashboard();
  console.log(`dashboard built into ${out}`);
}
