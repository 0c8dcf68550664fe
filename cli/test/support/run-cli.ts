/**
 * Runs the CLI as installed (`cache-sync …`: bin/cache-sync.js, which loads the built dist/cache-sync.js) as a child process, the way a user or a
 * script would, with a clean environment (no CACHE_SYNC_* from the caller's shell).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../bin/cache-sync.js", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as one JSON document (what `--json` promises). */
  json<T = any>(): T;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  /** Written to the child's stdin, which is then closed. */
  stdin?: string;
}

function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  for (const name of Object.keys(env)) if (name.startsWith("CACHE_SYNC_")) delete env[name];
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** Starts the CLI and hands back the process, for commands that run until stopped (`stats --watch`, `--wait`). */
export function startCli(args: string[], options: CliOptions = {}): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(options.env), stdio: ["pipe", "pipe", "pipe"] });
  return new RunningCli(child, options.stdin);
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).result();
}

export class RunningCli {
  stdout = "";
  stderr = "";
  private readonly exited: Promise<number | null>;
  private waiters: (() => void)[] = [];

  constructor(
    readonly child: ChildProcess,
    stdin?: string,
  ) {
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => this.append("stdout", chunk));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => this.append("stderr", chunk));
    child.stdin!.end(stdin ?? "");
    this.exited = new Promise((resolve) => child.once("close", (code) => resolve(code)));
  }

  private append(stream: "stdout" | "stderr", chunk: string): void {
    this[stream] += chunk;
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves once `predicate` holds for the output so far (rejects after `timeoutMs`, or if the CLI exits first). */
  async waitFor(predicate: (cli: RunningCli) => boolean, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let done = false;
    void this.exited.then(() => (done = true));
    while (!predicate(this)) {
      if (done) throw new Error(`the CLI exited before the expected output:\nstdout: ${this.stdout}\nstderr: ${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for the CLI's output:\nstdout: ${this.stdout}\nstderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async result(): Promise<CliResult> {
    const code = await this.exited;
    const { stdout, stderr } = this;
    return {
      code,
      stdout,
      stderr,
      json() {
        try {
          return JSON.parse(stdout);
        } catch {
          throw new Error(`stdout is not one JSON document:\n${stdout}\nstderr: ${stderr}`);
        }
      },
    };
  }
}
