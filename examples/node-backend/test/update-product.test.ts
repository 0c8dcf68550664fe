// The backend script as a user runs it (a child process with env vars) against `wrangler dev`:
// it updates the origin, invalidates the product's tag, shows the progress bar up to 100 %, and
// the next read loads the new value.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createCacheClient, type InvalidationStatus } from "@cache-sync/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findSecrets, saveLog } from "@cache-sync/dev-kit/secret-scan";
import { cacheTokensVar, issueToken } from "@cache-sync/dev-kit/tokens";
import { startDevServer, type DevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { startProductOrigin, type ProductOrigin } from "../src/origin.ts";
import { progressLine } from "../src/progress-bar.ts";

const exampleDir = fileURLToPath(new URL("..", import.meta.url));
const token = issueToken("backend", ["read", "invalidate"], ["products"]);
let origin: ProductOrigin;
let server: DevServer;

beforeAll(async () => {
  origin = await startProductOrigin();
  server = await startDevServer({
    vars: {
      CACHE_CONFIG: {
        namespaces: { default: {}, products: { shards: 4, origin: { url: `${origin.url}/products/{key}`, timeoutMs: 5000 } } },
      },
      CACHE_TOKENS: cacheTokensVar([token]),
    },
    logLevel: "log",
  });
});

afterAll(async () => {
  await server?.stop();
  await origin?.close();
});

function runScript(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/update-product.ts", ...args], {
      cwd: exampleDir,
      env: { ...process.env, CACHE_SYNC_URL: server.url, CACHE_SYNC_TOKEN: token.token, ORIGIN_URL: origin.url },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("update-product", () => {
  it("draws the bar from the job's status", () => {
    const status: InvalidationStatus = {
      id: "j",
      namespace: "products",
      state: "processing",
      progress: 50,
      totalTargets: 4,
      completedTargets: 2,
      failedTargets: 0,
      invalidatedKeys: 0,
      errors: [],
      createdAt: 0,
      startedAt: 0,
      finishedAt: null,
    };
    expect(progressLine(status, 10)).toBe("[█████░░░░░]  50% processing 2/4 shards");
  });

  it("updates the origin, invalidates the tag with a progress bar to 100 %, and the next read is the new value", async () => {
    const cache = createCacheClient({ url: server.url, token: token.token, namespace: "products", offlineQueue: false });
    const before = await cache.get<{ price: number }>("SKU-1");
    expect(before).toMatchObject({ found: true, value: { price: 89.9 }, tags: ["product:SKU-1"] });
    expect((await cache.get("SKU-1")).state).toBe("fresh");
    expect(origin.loads()).toBe(1);

    const run = await runScript(["SKU-1", '{"price":79}']);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("updated SKU-1 at the origin");
    expect(run.stdout).toMatch(/\[█{30}\] 100% completed {2}4\/4 shards/);
    expect(run.stdout).toMatch(/completed, 1 cached entry removed/);

    const after = await cache.get<{ price: number }>("SKU-1");
    expect(after).toMatchObject({ found: true, value: { price: 79 }, state: "miss", source: "origin" });
    expect(origin.loads()).toBe(2);
  });

  it("exits 1 with the server's message when the token is refused", async () => {
    const unknown = issueToken("not-configured", ["invalidate"], ["products"]);
    const child = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, ["--import", "tsx", "src/update-product.ts", "SKU-2", '{"price":1}'], {
        cwd: exampleDir,
        env: { ...process.env, CACHE_SYNC_URL: server.url, CACHE_SYNC_TOKEN: unknown.token, ORIGIN_URL: origin.url },
      });
      let stderr = "";
      p.stderr.on("data", (chunk) => (stderr += chunk));
      p.on("exit", (code) => resolve({ code, stderr }));
    });
    expect(child.code).toBe(1);
    expect(child.stderr).toMatch(/token/i);
  });

  it("the cache's output holds no token and no product", () => {
    const file = saveLog("node-backend", server.output());
    const products = [
      { id: "SKU-1", name: "Trail shoe", price: 89.9 },
      { id: "SKU-1", name: "Trail shoe", price: 79 },
    ];
    expect(findSecrets(server.output(), { tokens: [token.token], values: products }), `see ${file}`).toEqual([]);
  });
});
