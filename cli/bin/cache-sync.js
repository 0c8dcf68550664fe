#!/usr/bin/env node
// The `cache-sync` command: the bundled CLI in dist/ (built by `npm run build`, and by prepack
// before publishing). This small committed file exists so that `npm ci` in the repository links
// the command even before anything is built, and says what to do when the bundle is missing.
import { existsSync } from "node:fs";

const bundle = new URL("../dist/cache-sync.js", import.meta.url);
if (!existsSync(bundle)) {
  console.error("cache-sync: the CLI is not built yet; run `npm run build` at the repository root");
  process.exit(70);
}
await import(bundle.href);
