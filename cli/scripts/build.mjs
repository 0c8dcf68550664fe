#!/usr/bin/env node
// Builds dist/cache-sync.js: one ESM file for Node ≥ 20 with a shebang. commander, zod and the
// private @cache-sync/contracts (config and token schemas) are bundled in; the SDK stays a real
// dependency (see README.md "Why the SDK is a dependency").
import { build } from "esbuild";
import { chmodSync, rmSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const outfile = `${root}dist/cache-sync.js`;

/**
 * zod's `z` namespace re-exports ~40 translations of its error messages (`z.locales`), which no
 * tree-shaker can drop from a namespace import; the CLI speaks English only (the `en` locale is
 * imported separately by zod), so they are left out: 840 KiB → 250 KiB.
 */
const withoutZodLocales = {
  name: "without-zod-locales",
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${"node_modules"}/zod/`) ? { path: "zod-locales", namespace: "empty" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "export {};", loader: "js" }));
  },
};

rmSync(`${root}dist`, { recursive: true, force: true });
await build({
  entryPoints: [`${root}src/main.ts`],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["@cache-sync/client"],
  // commander is CommonJS and requires Node built-ins; an ESM bundle has no `require` of its own.
  banner: {
    js: '#!/usr/bin/env node\nimport { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);',
  },
  plugins: [withoutZodLocales],
  // Smaller is a faster `npx` cold start; the CLI never prints a stack, so names need not survive.
  minify: true,
  legalComments: "eof",
  logLevel: "warning",
});
chmodSync(outfile, 0o755);
console.log(`cache-sync: built dist/cache-sync.js (${(statSync(outfile).size / 1024).toFixed(1)} KiB)`);
