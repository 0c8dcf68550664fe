/**
 * Vitest global setup: the tests run the CLI as users do, from its build, and never build it
 * themselves. Fails at once, saying what to run, when the build is missing or older than its sources.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const cliRoot = fileURLToPath(new URL("../..", import.meta.url));
const repoRoot = join(cliRoot, "..");
const BUILD_HINT =
  "run `npm run build` at the repository root (or `npm run build -w client-sdk && npm run build -w cli`) before the CLI's tests";

export default function requireBuild(): void {
  const bin = join(cliRoot, "dist", "cache-sync.js");
  const sdk = join(repoRoot, "client-sdk", "dist", "index.js");
  if (!existsSync(bin)) throw new Error(`cli/dist/cache-sync.js is missing: ${BUILD_HINT}`);
  if (!existsSync(sdk)) throw new Error(`client-sdk/dist is missing (the CLI imports the built SDK): ${BUILD_HINT}`);
  const built = statSync(bin).mtimeMs;
  const newer = sourceFiles(join(cliRoot, "src")).find((file) => statSync(file).mtimeMs > built);
  if (newer) throw new Error(`cli/dist/cache-sync.js is older than ${newer.slice(repoRoot.length + 1)}: ${BUILD_HINT}`);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
