// invalidate / status / warm through the built CLI against wrangler dev: progress followed to the
// end (plain lines when stderr is not a terminal, a redrawn bar when it is), the final status on
// stdout, and exit 5 when a job fails. Purge targets on the local origin are held by the test, so
// a job is seen part-way (2 of 3 targets done) without relying on timing.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, RunningCli, runCli, startCli } from "./support/run-cli.ts";
import { startTestCache, type TestCache } from "./support/test-cache.ts";

let cache: TestCache;

// Purge retries far beyond any test: a held call must not time out and be retried meanwhile.
const patient = { purgeSpacingMs: 0, targetTimeoutMs: 60_000, retryBaseMs: 60_000, retryMaxMs: 60_000 };

beforeAll(async () => {
  cache = await startTestCache((origin) => ({
    default: {},
    "jobs-plain": { shards: 2 },
    "jobs-held": { shards: 2, purgeTargets: [{ url: `${origin}/purge/cli-held` }], invalidation: patient },
    "jobs-tty": { shards: 2, purgeTargets: [{ url: `${origin}/purge/cli-tty` }], invalidation: patient },
    "jobs-status": { shards: 2, purgeTargets: [{ url: `${origin}/purge/cli-status` }], invalidation: patient },
    "jobs-failing": { shards: 1, purgeTargets: [{ url: `${origin}/purge/cli-fail` }], invalidation: { maxAttempts: 1, purgeSpacingMs: 0 } },
    "jobs-origin": { shards: 2, origin: { url: `${origin}/items/{key}`, timeoutMs: 5_000 } },
  }));
});

afterAll(async () => {
  await cache?.stop();
});

const PROGRESS_LINE =
  /^(invalidation|warm|job) (\S+) (queued|processing|completed|failed) (\d+)% \((\d+)\/(\d+) targets, (\d+) failed, (\d+) keys\)$/;

function progressOf(lines: string[]): { state: string; progress: number }[] {
  return lines.map((line) => {
    const match = PROGRESS_LINE.exec(line);
    if (!match) throw new Error(`not a progress line: ${JSON.stringify(line)}`);
    return { state: match[3]!, progress: Number(match[4]) };
  });
}

const lines = (text: string) => text.split("\n").filter((line) => line !== "");

describe("invalidate", () => {
  it("--wait prints plain progress lines on stderr (not a terminal) up to completed 100%, and the final status on stdout", async () => {
    await runCli(["set", "held-1", "1", "--tag", "held", "--namespace", "jobs-held"], { env: cache.env() });
    await cache.purgeBehaviour("/purge/cli-held", { hold: true });
    const cli = startCli(["invalidate", "--tag", "held", "--wait", "--namespace", "jobs-held"], { env: cache.env() });
    // Both shards done, the purge target held: 2 of 3 targets.
    await cli.waitFor((c) => c.stderr.includes("processing 66% (2/3 targets"));
    await cache.releasePurge("/purge/cli-held");
    const result = await cli.result();
    expect(result.code).toBe(0);

    const reported = progressOf(lines(result.stderr));
    expect(reported.map((r) => r.progress)).toEqual([...reported.map((r) => r.progress)].sort((a, b) => a - b));
    expect(reported).toContainEqual({ state: "processing", progress: 66 });
    expect(reported.at(-1)).toEqual({ state: "completed", progress: 100 });
    expect(lines(result.stdout)).toHaveLength(1);
    expect(result.stdout).toMatch(/^invalidation \S+ completed 100% \(3\/3 targets, 0 failed, 1 keys\)\n$/);
    expect((await runCli(["get", "held-1", "--namespace", "jobs-held"], { env: cache.env() })).code).toBe(2);
  });

  it("--wait on a terminal draws one progress bar redrawn in place", async () => {
    await runCli(["set", "tty-1", "1", "--tag", "tty", "--namespace", "jobs-tty"], { env: cache.env() });
    await cache.purgeBehaviour("/purge/cli-tty", { hold: true });
    const cli = underTerminal(["invalidate", "--tag", "tty", "--wait", "--namespace", "jobs-tty"], cache.env());
    await cli.waitFor((c) => / 66% processing/.test(c.stdout));
    await cache.releasePurge("/purge/cli-tty");
    const result = await cli.result();
    expect(result.code).toBe(0);
    const frames = result.stdout.split("\r\x1b[2K").slice(1);
    expect(frames.length).toBeGreaterThanOrEqual(2);
    expect(frames[0]).toMatch(/^\[[█░]{30}\] +\d+% (queued|processing)/);
    expect(frames.some((frame) => frame.startsWith(`[${"█".repeat(20)}${"░".repeat(10)}]  66% processing`))).toBe(true);
    expect(frames.at(-1)).toMatch(new RegExp(`^\\[${"█".repeat(30)}\\] 100% completed +3/3 targets, 0 failed, 1 keys\\r?\\n`));
    // No plain progress lines on a terminal: only the bar, then the result.
    expect(result.stdout).not.toMatch(/^invalidation \S+ processing/m);
  });

  it("--json --wait: stdout is one JSON document, the completed status", async () => {
    await runCli(["set", "plain-1", "1", "--tag", "plain", "--namespace", "jobs-plain"], { env: cache.env() });
    const result = await runCli(["invalidate", "--tag", "plain", "--wait", "--json", "--namespace", "jobs-plain"], { env: cache.env() });
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({
      namespace: "jobs-plain",
      state: "completed",
      progress: 100,
      totalTargets: 2,
      completedTargets: 2,
      invalidatedKeys: 1,
      errors: [],
    });
    expect(progressOf(lines(result.stderr)).at(-1)).toEqual({ state: "completed", progress: 100 });
  });

  it("--stale marks entries stale instead of removing them; --priority and repeated selectors are accepted", async () => {
    await runCli(["set", "soft-1", '"v"', "--tag", "soft", "--namespace", "jobs-plain"], { env: cache.env() });
    await runCli(["set", "pre:1", '"v"', "--namespace", "jobs-plain"], { env: cache.env() });
    const result = await runCli(
      [
        "invalidate",
        "--tag",
        "soft",
        "--prefix",
        "pre:",
        "--key",
        "none",
        "--stale",
        "--priority",
        "high",
        "--wait",
        "--json",
        "--namespace",
        "jobs-plain",
      ],
      { env: cache.env() },
    );
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({ state: "completed", invalidatedKeys: 2 });
    const read = await runCli(["get", "soft-1", "--json", "--namespace", "jobs-plain"], { env: cache.env() });
    expect(read.json()).toMatchObject({ found: true, state: "stale", value: "v" });
  });

  it("a failed job exits 5: the failed status on stdout, JOB_FAILED with the reason on stderr", async () => {
    await cache.purgeBehaviour("/purge/cli-fail", { failTimes: 1_000, failStatus: 503 });
    const result = await runCli(["invalidate", "--key", "x", "--wait", "--json", "--namespace", "jobs-failing"], { env: cache.env() });
    expect(result.code).toBe(5);
    const status = result.json();
    expect(status).toMatchObject({ state: "failed", failedTargets: 1 });
    const error = JSON.parse(lines(result.stderr).at(-1)!).error;
    expect(error).toMatchObject({ code: "JOB_FAILED", exitCode: 5 });
    expect(error.message).toContain(status.id);

    const later = await runCli(["status", status.id, "--namespace", "jobs-failing"], { env: cache.env() });
    expect(later.code).toBe(5);
    expect(later.stdout).toMatch(
      /^job \S+ failed 100% \(1\/2 targets, 1 failed, 0 keys\)\n {2}error: purge target .*cli-fail: answered 503/,
    );
  });

  it("without a selector it is a usage error (exit 1), and a bad --priority too", async () => {
    const none = await runCli(["invalidate", "--wait"], { env: cache.env() });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/at least one --tag, --key or --prefix/);
    const priority = await runCli(["invalidate", "--tag", "x", "--priority", "urgent"], { env: cache.env() });
    expect(priority.code).toBe(1);
    expect(priority.stderr).toMatch(/Allowed choices are low, normal, high/);
  });
});

describe("status", () => {
  it("invalidate without --wait prints the job id; status reports it, and status --wait follows it to the end", async () => {
    await cache.purgeBehaviour("/purge/cli-status", { hold: true });
    const started = await runCli(["invalidate", "--prefix", "p:", "--namespace", "jobs-status"], { env: cache.env() });
    expect(started.code).toBe(0);
    const id = started.stdout.trim();
    expect(id).toMatch(/^\S+$/);
    expect(started.stderr).toContain(`cache-sync status ${id} --wait`);

    const now = await runCli(["status", id, "--json", "--namespace", "jobs-status"], { env: cache.env() });
    expect(now.code).toBe(0);
    expect(now.json()).toMatchObject({ id, state: expect.stringMatching(/queued|processing/) });
    expect(now.json().progress).toBeLessThan(100);

    const waiting = startCli(["status", id, "--wait", "--namespace", "jobs-status"], { env: cache.env() });
    await waiting.waitFor((c) => c.stderr.includes("processing 66%"));
    await cache.releasePurge("/purge/cli-status");
    const done = await waiting.result();
    expect(done.code).toBe(0);
    expect(done.stdout).toBe(`job ${id} completed 100% (3/3 targets, 0 failed, 0 keys)\n`);
    expect(progressOf(lines(done.stderr)).at(-1)).toEqual({ state: "completed", progress: 100 });
  });

  it("an unknown job id exits 2 (NOT_FOUND)", async () => {
    const result = await runCli(["status", "no-such-job"], { env: cache.env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^cache-sync: NOT_FOUND: /);
  });
});

describe("warm", () => {
  it("--wait loads the keys from the origin, and later reads are hits", async () => {
    const result = await runCli(["warm", "--key", "w1", "--key", "w2", "--wait", "--json", "--namespace", "jobs-origin"], {
      env: cache.env(),
    });
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({ state: "completed", progress: 100, invalidatedKeys: 2 });
    expect(progressOf(lines(result.stderr))[0]!.state).toMatch(/queued|processing|completed/);
    const read = await runCli(["get", "w1", "--json", "--namespace", "jobs-origin"], { env: cache.env() });
    expect(read.json()).toMatchObject({ found: true, state: "fresh", value: { key: "w1" } });
    expect(read.json().source).not.toBe("origin");
  });

  it("without --wait prints the id; without --key or --tag it is a usage error", async () => {
    const started = await runCli(["warm", "--tag", "nothing-tagged", "--namespace", "jobs-origin"], { env: cache.env() });
    expect(started.code).toBe(0);
    expect(started.stdout.trim()).toMatch(/^\S+$/);
    const none = await runCli(["warm"], { env: cache.env() });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/at least one --key or --tag/);
  });
});

/** Runs the CLI with a pseudo-terminal as its stdout and stderr (util-linux `script`), as in an interactive shell. */
function underTerminal(args: string[], env: Record<string, string>): RunningCli {
  const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, BIN, ...args].map(quote).join(" ");
  const child = spawn("script", ["-q", "-e", "-f", "-c", command, "/dev/null"], {
    env: { ...process.env, ...env, NO_COLOR: "1", TERM: "xterm" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  return new RunningCli(child);
}
