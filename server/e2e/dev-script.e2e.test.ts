// `npm run dev` on a fresh checkout: it must set itself up (migrations, a dev token) and serve.
import { existsSync, readFileSync } from "node:fs";
import { afterAll, expect, it } from "vitest";
import { startNpmDev, type NpmDev } from "@cache-sync/dev-kit/npm-dev";
import { makeClient } from "@cache-sync/dev-kit/http";

let dev: NpmDev | undefined;
afterAll(() => dev?.stop());

it("prints a working dev token: a write with it succeeds, without it 401", async () => {
  dev = await startNpmDev();
  const printed = dev.printedToken();
  expect(printed, dev.output()).toBeDefined();
  expect(existsSync(dev.varsFile)).toBe(true);
  expect(readFileSync(dev.varsFile, "utf8")).toContain(printed!);

  const withToken = await makeClient(dev.url, { authorization: `Bearer ${printed}` }).mutate("set", { key: "dev", value: "ok" });
  expect(withToken.status).toBe(200);
  const without = await makeClient(dev.url).mutate("set", { key: "dev", value: "nope" });
  expect(without.status).toBe(401);
  // Printed once: the token is not repeated in the server's own output.
  expect(dev.output().split(printed!).length - 1).toBe(1);
}, 180_000);
