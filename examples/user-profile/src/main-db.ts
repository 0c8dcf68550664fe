/**
 * The main database as an operator sees it: `wrangler d1 execute MAIN_DB --local` on the persist
 * directory of the running `wrangler dev` (that works while it runs). Used by the demo to show
 * what reached D1 and by the test to check it, and to put a row in D1 that the cache has never seen.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const wranglerBin = join(repoRoot, "node_modules", "wrangler", "bin", "wrangler.js");

/** A row of the table write-behind flushes into (server/migrations/0001_cache_records.sql). */
export interface CacheRecordRow {
  namespace: string;
  key: string;
  /** JSON text; null for a tombstone. */
  value: string | null;
  version: number;
  updated_at: number;
  deleted: 0 | 1;
}

/** The shell command that runs `sql` against the local main database (for people to copy). */
export function d1Command(stateDir: string, sql: string): string {
  return `npx wrangler d1 execute MAIN_DB --local --persist-to ${stateDir} --json --command "${sql}"`;
}

/** Runs SQL (one or more statements) on MAIN_DB and answers the rows of the last statement. */
export function queryMainDb<Row = Record<string, unknown>>(stateDir: string, sql: string): Promise<Row[]> {
  const args = [wranglerBin, "d1", "execute", "MAIN_DB", "--local", "--persist-to", stateDir, "--json", "--command", sql];
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_COLOR: "1" };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`wrangler d1 execute exited ${code}:\n${stdout}\n${stderr}`));
      try {
        const results = JSON.parse(stdout) as { results: Row[]; success: boolean }[];
        resolve(results.at(-1)?.results ?? []);
      } catch {
        reject(new Error(`wrangler d1 execute printed no JSON:\n${stdout}\n${stderr}`));
      }
    });
  });
}

/** A SQL string literal (wrangler d1 execute takes no parameters). */
export const sqlText = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** Every `cache_records` row of a namespace, by key. */
export function mainDbRows(stateDir: string, namespace: string): Promise<CacheRecordRow[]> {
  return queryMainDb<CacheRecordRow>(
    stateDir,
    `SELECT namespace, key, value, version, updated_at, deleted FROM cache_records WHERE namespace = ${sqlText(namespace)} ORDER BY key`,
  );
}
