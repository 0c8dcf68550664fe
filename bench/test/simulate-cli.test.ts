/**
 * Issue 18, acceptance 4: `npm run simulate` with the README's arguments runs in under a minute on
 * this machine (2 cores), prints what an operator needs (per-shard load, the hottest object's
 * utilisation, p99 queueing delay, the recommended shard count), and the README shows the very table
 * it prints.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const README = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "-s", "simulate", "--", ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, seconds: (performance.now() - started) / 1_000 }));
  });
}

/** The README's own command line, so the test runs what a reader would. */
function readmeArguments(): string[] {
  const match = /^npm run simulate -- (--rate .+?)\s*(#.*)?$/m.exec(README);
  if (!match) throw new Error("README.md: no `npm run simulate -- --rate …` line");
  return match[1]!.trim().split(/\s+/);
}

describe("npm run simulate", () => {
  it("runs the README's example in under a minute and prints per-shard load, the hottest object, p99 delay and the shard count", async () => {
    const args = readmeArguments();
    expect(args).toEqual(["--rate", "1e6", "--keys", "1e8", "--zipf", "1.0", "--colos", "300"]);
    const { code, stdout, stderr, seconds } = await run(args);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(seconds).toBeLessThan(60);

    expect(stdout).toMatch(/^shards needed {4}by rate [\d,]+, by storage [\d,]+ → recommended [\d,]+$/m);
    expect(stdout).toMatch(
      /^per-shard load {3}at [\d,]+ shards, req\/s: min [\d.,]+, p50 [\d.,]+, mean [\d.,]+, p99 [\d.,]+, max [\d.,]+$/m,
    );
    expect(stdout).toMatch(
      /^hottest object {3}[\d.,]+ req\/s = [\d.]+ % of 1,000 req\/s; p99 queueing delay [\d.,]+ ms \(all objects: [\d.,]+ ms\)$/m,
    );
    // With a colo tier in 300 colos the hottest key reaches its shard ≤ 300 / 60 s = 5 times a second.
    const hottest = /^hottest key {6}([\d.]+) % of reads = [\d,]+ req\/s; ([\d.]+) req\/s reach its shard$/m.exec(stdout);
    expect(Number(hottest?.[1])).toBeCloseTo(5.26, 2);
    expect(Number(hottest?.[2])).toBeLessThanOrEqual(5);

    const table = stdout.split("\n").filter((line) => line.startsWith("|"));
    expect(table).toHaveLength(6);
    for (const line of table) expect(line.split("|").length - 2).toBe(7);
    expect(table[2]).toMatch(/^\| nothing \(shards only\) \| 1,000,000 req\/s \|.*none ≤ 1,024.*unbounded \(overloaded\)/);
    expect(table[4]).toMatch(/^\| colo tier \(300 colos, 60 s\) \| [\d,]+ req\/s \| 5\.00 req\/s \| [\d,]+ \|/);
    // The README shows this table as printed (the run is seeded, so it is the same every time).
    for (const line of table) expect(README, `README.md lacks the simulated row: ${line}`).toContain(line);
  });

  it("refuses a bad argument with a clear message and the usage, without a stack trace", async () => {
    const { code, stdout, stderr } = await run(["--rate", "lots"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain('--rate: "lots" is not a number');
    expect(stderr).toContain("npm run simulate -- [options]");
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
