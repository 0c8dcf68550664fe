// `npm run dev` on a fresh checkout: it must set itself up (migrations, a dev token) and serve.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { freePort } from "../test/node/free-port.ts";
import { makeClient } from "./support/http.ts";

const devScript = fileURLToPath(new URL("../scripts/dev.mjs", import.meta.url));
let stop: (() => void) | undefined;
afterAll(() => stop?.());

it("prints a working dev token: a write with it succeeds, without it 401", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cache-sync-dev-"));
  const varsFile = join(dir, ".dev.vars");
  const port = await freePort();
  const child = spawn(process.execPath, [devScript, "--inspector-port", String(await freePort()), "--log-level", "warn"], {
    env: { ...process.env, PORT: String(port), DEV_VARS_FILE: varsFile, DEV_STATE_DIR: join(dir, "state") },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  stop = () => {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // already gone
    }
  };
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));

  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    const up = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (up) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const printed = /Authorization: Bearer (cs_dev_\S+)/.exec(output)?.[1];
  expect(printed, output).toBeDefined();
  expect(existsSync(varsFile)).toBe(true);
  expect(readFileSync(varsFile, "utf8")).toContain(printed!);

  const withToken = await makeClient(url, { authorization: `Bearer ${printed}` }).mutate("set", { key: "dev", value: "ok" });
  expect(withToken.status).toBe(200);
  const without = await makeClient(url).mutate("set", { key: "dev", value: "nope" });
  expect(without.status).toBe(401);
  // Printed once: the token is not repeated in the server's own output.
  expect(output.split(printed!).length - 1).toBe(1);
});
