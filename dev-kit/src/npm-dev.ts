/**
 * `npm run dev` as a newcomer runs it, on a fresh state directory and vars file (so it makes its
 * own dev token), on free ports, in its own process group. Resolves once /health answers.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./free-port.ts";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface NpmDev {
  url: string;
  varsFile: string;
  output(): string;
  /** The dev token the script printed (undefined when it printed none). */
  printedToken(): string | undefined;
  stop(): void;
}

export async function startNpmDev(): Promise<NpmDev> {
  const dir = mkdtempSync(join(tmpdir(), "cache-sync-dev-"));
  const varsFile = join(dir, ".dev.vars");
  const port = await freePort();
  const child = spawn("npm", ["run", "dev", "--", "--inspector-port", String(await freePort()), "--log-level", "warn"], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), DEV_VARS_FILE: varsFile, DEV_STATE_DIR: join(dir, "state") },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const stop = () => {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // already gone
    }
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (
    !(await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline) {
      stop();
      throw new Error(`npm run dev did not answer /health within 90 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url, varsFile, output: () => output, printedToken: () => /Authorization: Bearer (cs_dev_\S+)/.exec(output)?.[1], stop };
}
