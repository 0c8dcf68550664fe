/**
 * The origin server (origin-server.ts) in its own Node process. A load generator in the same
 * process as the origin delays the origin's answers whenever it is busy (a herd of 1,000
 * connections opening at once holds the event loop, and the origin's 200 ms timer fires late),
 * which a real origin, on another machine, never does. Same HTTP control surface, same interface.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import type { OriginServer } from "./origin-server.ts";

const MAIN = new URL("./origin-main.ts", import.meta.url).pathname;
/** The repository root: `--import tsx` resolves from the child's working directory (the workspace's node_modules). */
const REPO_ROOT = new URL("../../../", import.meta.url).pathname;

export async function startOriginProcess(): Promise<OriginServer> {
  // tsx (the bench's TypeScript runner) loads the .ts entry in the child.
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], { cwd: REPO_ROOT, stdio: ["pipe", "pipe", "inherit"] });
  const exited = once(child, "exit");
  const lines = createInterface({ input: child.stdout! });
  const first = await Promise.race([once(lines, "line"), exited.then(() => undefined)]);
  if (first === undefined) throw new Error("the origin process exited before it listened");
  const { url, port } = JSON.parse(String(first[0])) as { url: string; port: number };
  lines.close();
  return {
    url,
    port,
    close: async () => {
      if (child.exitCode !== null) return;
      child.stdin!.end();
      await exited;
    },
  };
}
