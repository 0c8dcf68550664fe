/**
 * Starts the real Worker with `wrangler dev` (local, offline) the way an operator would: config
 * through `--env-file`, D1 migrations applied with `wrangler d1 migrations apply`, state in a
 * directory that survives a restart. Runs in its own process group and is stopped by PID.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./free-port.ts";
import { leakedTokens } from "./tokens.ts";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const wranglerBin = join(repoRoot, "node_modules", "wrangler", "bin", "wrangler.js");

export interface DevServer {
  url: string;
  port: number;
  /** The V8 inspector (Chrome DevTools protocol) of the Worker's isolate: for profiling. */
  inspectorPort: number;
  stateDir: string;
  /** Output so far, for assertions (e.g. that no token is logged) and failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  /** Variables written to the --env-file (CACHE_CONFIG, CACHE_TOKENS, …); objects are JSON-encoded. */
  vars: Record<string, unknown>;
  /** Reuse the state of an earlier server (restart). */
  stateDir?: string;
  /** Extra `-c` configs (e.g. a second worker with a service binding). */
  extraConfigs?: string[];
  /** Changes to wrangler.jsonc for this server only (e.g. low rate limits), applied to a derived copy. */
  configOverrides?: Record<string, unknown>;
  /**
   * wrangler's --log-level. "warn" (default) hides the Worker's per-request log lines; "log" shows
   * them, for tests that read or scan them.
   */
  logLevel?: "warn" | "log";
  /**
   * A wrangler config to start instead of the repo's wrangler.jsonc (e.g. bench/wrangler.jsonc),
   * absolute or relative to the repo root. `configOverrides` applies to the repo's config only.
   */
  config?: string;
}

const childEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_COLOR: "1" };

export function applyMigrations(stateDir: string): void {
  const result = spawnSync(process.execPath, [wranglerBin, "d1", "migrations", "apply", "MAIN_DB", "--local", "--persist-to", stateDir], {
    cwd: repoRoot,
    env: childEnv,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`d1 migrations apply failed:\n${result.stdout}\n${result.stderr}`);
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), "cache-sync-e2e-"));
  if (!options.stateDir) applyMigrations(stateDir);
  const envFile = join(mkdtempSync(join(tmpdir(), "cache-sync-env-")), "vars.env");
  writeFileSync(envFile, envFileText(options.vars));
  const port = await freePort();
  const inspectorPort = await freePort();
  if (options.config && options.configOverrides) throw new Error("config and configOverrides cannot be combined");
  const mainConfig = options.config ?? (options.configOverrides ? derivedConfig(options.configOverrides) : "wrangler.jsonc");
  const configs = [mainConfig, ...(options.extraConfigs ?? [])].flatMap((config) => ["-c", config]);
  const child: ChildProcess = spawn(
    process.execPath,
    [
      wranglerBin,
      "dev",
      ...configs,
      "--local",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(inspectorPort),
      "--persist-to",
      stateDir,
      "--env-file",
      envFile,
      "--log-level",
      options.logLevel ?? "warn",
    ],
    { cwd: repoRoot, env: childEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, 5_000);
    await exited;
    clearTimeout(timer);
    // Secure by default, checked on every server any test starts: no issued token in its output.
    const leaked = leakedTokens(output);
    if (leaked > 0) throw new Error(`wrangler dev output contains ${leaked} bearer token(s) issued by this test run`);
  };
  try {
    await waitForHealth(
      url,
      () => child.exitCode !== null,
      () => output,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, inspectorPort, stateDir, output: () => output, stop };
}

async function waitForHealth(url: string, exited: () => boolean, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`wrangler dev exited:\n${output()}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.status < 500 || response.status === 503) {
        await response.text();
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`wrangler dev did not answer /health within 60 s:\n${output()}`);
}

/** dotenv text; single quotes keep JSON literal (dotenv does not unescape \" inside double quotes). */
export function envFileText(vars: Record<string, unknown>): string {
  return `${Object.entries(vars)
    .map(([name, value]) => {
      const text = typeof value === "string" ? value : JSON.stringify(value);
      if (text.includes("'")) throw new Error(`${name}: a single quote cannot be written to an env file`);
      return `${name}='${text}'`;
    })
    .join("\n")}\n`;
}

/**
 * A copy of wrangler.jsonc with some top-level fields replaced, beside the original (in the
 * git-ignored .wrangler/) with its paths made absolute, so it builds exactly the same Worker.
 */
export function derivedConfig(overrides: Record<string, unknown>): string {
  const text = readFileSync(join(repoRoot, "wrangler.jsonc"), "utf8");
  // wrangler.jsonc holds only whole-line // comments.
  const config = JSON.parse(text.replace(/^\s*\/\/.*$/gm, "")) as Record<string, any>;
  config.main = join(repoRoot, config.main);
  delete config.$schema;
  for (const section of [config, ...Object.values<Record<string, any>>(config.env ?? {})]) {
    for (const db of section.d1_databases ?? []) db.migrations_dir = join(repoRoot, db.migrations_dir);
  }
  if (config.assets?.directory) config.assets.directory = join(repoRoot, config.assets.directory);
  Object.assign(config, overrides);
  const dir = join(repoRoot, ".wrangler", "e2e-configs");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `wrangler-${process.pid}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}
