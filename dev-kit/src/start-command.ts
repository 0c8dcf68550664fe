/**
 * Runs an example's one start command (as its README gives it) in its own process group, waits
 * for the line that says it is up, and stops it by process group — the check that "runnable with
 * one command" stays true.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface RunningCommand {
  /** The first match of `ready` in the output. */
  ready: RegExpMatchArray;
  output(): string;
  /** Resolves with the exit code once the command has ended by itself. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export async function runStartCommand(options: {
  command: string[];
  ready: RegExp;
  env?: Record<string, string>;
  timeoutMs?: number;
}): Promise<RunningCommand> {
  const [program, ...args] = options.command;
  const child = spawn(program!, args, {
    cwd: repoRoot,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_COLOR: "1", ...options.env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, name);
      } catch {
        // already gone
      }
    };
    signal("SIGINT"); // what Ctrl-C sends: the examples stop their servers on it
    const timer = setTimeout(() => signal("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  for (;;) {
    const ready = output.match(options.ready);
    if (ready) return { ready, output: () => output, exited, stop };
    if (child.exitCode !== null)
      throw new Error(`${options.command.join(" ")} exited with ${child.exitCode} before it was ready:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${options.command.join(" ")} was not ready within ${options.timeoutMs ?? 90_000} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
