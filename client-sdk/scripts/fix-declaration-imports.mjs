/**
 * tsc rewrites `./x.ts` imports to `./x.js` in JavaScript (rewriteRelativeImportExtensions) but
 * not in declarations; consumers on `moduleResolution: node16/nodenext` need `.js` there too.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dist = new URL("../dist", import.meta.url).pathname;
for (const entry of readdirSync(dist, { recursive: true, encoding: "utf8" })) {
  if (!entry.endsWith(".d.ts")) continue;
  const path = join(dist, entry);
  const text = readFileSync(path, "utf8");
  const fixed = text.replace(/((?:from |import\()["']\.{1,2}\/[^"']+)\.ts(["'])/g, "$1.js$2");
  if (fixed !== text) writeFileSync(path, fixed);
}
