#!/usr/bin/env node
// `npm run build -w dashboard` (the root's `npm run build`, `npm run dev` and `npm run deploy`
// run it): bundles the dashboard into the Worker's static assets directory, `dashboard/assets`
// (`assets.directory` in the root wrangler.jsonc). That directory is committed, so a clean
// checkout's `wrangler dev` starts; its built `dashboard/` folder is git-ignored. Its `_headers`
// file (security headers for the assets, which are served before the Worker) is committed at its root.
// The TypeScript is bundled with esbuild against the SDK's source, so no prior build of any
// package is needed; ~100 ms, so it simply always runs.
// `npm run dev:dashboard` (dev-server.mjs) builds with the same options into memory instead.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** The dashboard package: index.html, style.css and src/. */
export const dashboardDir = fileURLToPath(new URL("../", import.meta.url));
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const sdkSource = join(repoRoot, "client-sdk", "src", "index.ts");
/** The assets directory; the dashboard lives under /dashboard/ in it. */
export const assetsDir = join(dashboardDir, "assets");

/**
 * esbuild options for the dashboard whose sources (index.html, style.css, src/) are in
 * `sourceDir`: one build for the script (app.js) and the style sheet (style.css, which @imports
 * uPlot's CSS from node_modules). Packages resolve from the repository's node_modules too, so a
 * copy of the sources elsewhere (the dev server's test edits one) builds the same.
 */
export function buildOptions(sourceDir = dashboardDir) {
  return {
    entryPoints: { app: join(sourceDir, "src", "main.ts"), style: join(sourceDir, "style.css") },
    outdir: join(assetsDir, "dashboard"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    sourcemap: false,
    write: false,
    alias: { "@cache-sync/client": sdkSource },
    nodePaths: [join(repoRoot, "node_modules")],
    logLevel: "warning",
  };
}

export async function buildDashboard() {
  const options = buildOptions();
  const result = await build(options);
  for (const file of result.outputFiles) writeAtomically(file.path, file.contents);
  writeAtomically(join(options.outdir, "index.html"), readFileSync(join(dashboardDir, "index.html")));
  return options.outdir;
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
