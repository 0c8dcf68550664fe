/**
 * A copy of the repository as a clean clone has it: the files git tracks (and new files not yet
 * ignored), with no build outputs and no node_modules, installed with `npm ci`. Packing from it
 * proves that `prepack` alone builds what the package ships, and nothing else in the test run can
 * have built `client-sdk/dist` for it.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

export const npmEnv = { ...process.env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };

export function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, {
    cwd,
    encoding: "utf8",
    env: npmEnv,
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Copies the repository's source files (no dist, no node_modules) and runs `npm ci` there. */
export function cleanCopy(): string {
  const copy = mkdtempSync(join(tmpdir(), "cache-sync-clean-"));
  const files = run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], repoRoot).split("\0").filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(repoRoot, file))) continue; // deleted in the working tree, not yet committed
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(repoRoot, file), join(copy, file));
  }
  if (existsSync(join(copy, "client-sdk", "dist"))) throw new Error("the clean copy has a client-sdk/dist: it is tracked by git");
  run("npm", ["ci", "--prefer-offline", "--ignore-scripts"], copy);
  return copy;
}
