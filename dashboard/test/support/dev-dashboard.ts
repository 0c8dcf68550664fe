/**
 * `npm run dev:dashboard` as a developer runs it, beside a running `wrangler dev`, on a free port
 * and on a copy of the dashboard's sources (so a test may edit them), in its own process group,
 * stopped by PID. Resolves once it serves the built page.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@cache-sync/dev-kit/free-port";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const dashboardDir = join(repoRoot, "dashboard");

export interface DevDashboard {
  url: string;
  /** The copy of the sources it builds from. */
  sourceDir: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startDevDashboard(upstream: string): Promise<DevDashboard> {
  const sourceDir = mkdtempSync(join(tmpdir(), "cache-sync-dashboard-src-"));
  for (const entry of ["index.html", "style.css", "src"]) cpSync(join(dashboardDir, entry), join(sourceDir, entry), { recursive: true });
  const port = await freePort();
  const child = spawn("npm", ["run", "dev:dashboard", "--", "--port", String(port), "--upstream", upstream, "--source", sourceDir], {
    cwd: repoRoot,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid!, "SIGTERM");
        await exited;
      } catch {
        // already gone
      }
    }
    rmSync(sourceDir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (
    (await fetch(`${url}/dashboard/app.js`).then(
      (r) => r.status,
      () => 0,
    )) !== 200
  ) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`npm run dev:dashboard did not serve the dashboard within 30 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, sourceDir, output: () => output, stop };
}
