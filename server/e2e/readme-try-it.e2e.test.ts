// The README's "Try it" block, run as printed against `npm run dev` on a fresh state: only the
// printed dev token replaces the `cs_dev_...` placeholder (and a free port replaces 8787, so the
// test cannot clash with a server already running). Every answer it prints is checked.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { startNpmDev, type NpmDev } from "@cache-sync/dev-kit/npm-dev";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
let dev: NpmDev | undefined;
afterAll(() => dev?.stop());

/** The shell block right after the `<!-- readme-test: try-it -->` marker. */
function tryItBlock(): string {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const match = /<!-- readme-test: try-it -->\s*```sh\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error("README.md has no try-it block after <!-- readme-test: try-it -->");
  return match[1]!;
}

it("the README's try-it block works as printed against npm run dev", async () => {
  const block = tryItBlock();
  expect(block).toContain("TOKEN=cs_dev_...");
  dev = await startNpmDev();
  const token = dev.printedToken();
  expect(token, dev.output()).toBeDefined();
  const port = new URL(dev.url).port;

  const script = block.replace("cs_dev_...", token!).replaceAll("127.0.0.1:8787", `127.0.0.1:${port}`);
  const run = spawnSync("bash", ["-euo", "pipefail", "-c", script], { encoding: "utf8", timeout: 60_000 });
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  const printed = run.stdout;

  // set: the new version; get: the value; /r: the value with its cache headers; invalidate: a job.
  const [setLine, getLine] = printed.split("\n");
  const written = JSON.parse(setLine!.trim()).result.data;
  expect(written.version).toBeGreaterThan(0);
  const read = JSON.parse(getLine!.trim()).result.data;
  expect(read).toMatchObject({ found: true, value: { name: "shoe", price: 12.5 }, version: written.version, tags: ["catalog"] });
  expect(printed).toMatch(/^HTTP\/1\.1 200/m);
  expect(printed).toMatch(/^x-cache: (HIT|STALE)/im);
  expect(printed).toMatch(new RegExp(`^etag: "${written.version}"`, "im"));
  expect(printed).toMatch(/^age: \d+/im);
  expect(printed).toContain('{"name":"shoe","price":12.5}');
  const job = JSON.parse(printed.trim().split("\n").at(-1)!).result.data;
  expect(job).toMatchObject({ namespace: "default", state: expect.stringMatching(/queued|processing|completed/) });
}, 180_000);
