// Issue 8: the dashboard at /dashboard/ in real Chromium against `wrangler dev`: it asks for a
// token (kept in sessionStorage only), shows the namespaces' stats and charts, runs an
// invalidation from its form to 100 %, and shows the SDK's connection status in a live region.
// Screenshots go to server/test-artifacts/dashboard (git-ignored).
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshotPath } from "./support/browser.ts";
import { data, makeClient } from "./support/http.ts";
import { artifactsDir, findSecrets, requestLogLines, saveLog } from "./support/secret-scan.ts";
import { bearer, cacheTokensVar, issueToken } from "./support/tokens.ts";
import { startDevServer, type DevServer } from "./support/wrangler-dev.ts";

const admin = issueToken("dashboard-admin", ["admin"], ["*"]);
const shots = `${artifactsDir}dashboard`;
const value = (i: number) => ({ sku: `dashboard-value-${i}-e0c7`, price: i });

let server: DevServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let client: ReturnType<typeof makeClient>;

beforeAll(async () => {
  server = await startDevServer({
    vars: { CACHE_CONFIG: { namespaces: { default: {}, catalog: { shards: 4 } } }, CACHE_TOKENS: cacheTokensVar([admin]) },
    logLevel: "log",
  });
  client = makeClient(server.url, bearer(admin));
  // A workload the stats can show: 6 writes (3 tagged "blue"), 12 hits, 2 misses.
  for (let i = 0; i < 6; i++) data(await client.mutate("set", { namespace: "catalog", key: `p${i}`, value: value(i), tags: i < 3 ? ["blue"] : ["red"] }));
  for (let round = 0; round < 2; round++) for (let i = 0; i < 6; i++) data(await client.query("get", { namespace: "catalog", key: `p${i}` }));
  for (const key of ["absent-1", "absent-2"]) data(await client.query("get", { namespace: "catalog", key }));
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 1100 } });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const metric = (namespace: string, name: string) => page.locator(`article[data-namespace="${namespace}"] dd[data-metric="${name}"]`);

describe("the dashboard's security headers (issue: hostile traffic, 9)", () => {
  it("come from the assets' _headers: a CSP that forbids framing, and nosniff on every asset", async () => {
    for (const path of ["/dashboard/", "/dashboard/app.js", "/dashboard/style.css"]) {
      const response = await fetch(`${server.url}${path}`);
      await response.arrayBuffer();
      expect(response.status, path).toBe(200);
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).not.toContain("unsafe-inline");
    }
  });
});

describe("the dashboard", () => {
  it("asks for a token and keeps it in sessionStorage only", async () => {
    const response = await page.goto(`${server.url}/dashboard/?interval=300`);
    expect(response?.status()).toBe(200);
    await expect.poll(() => page.locator("#login").isVisible()).toBe(true);
    await page.fill('#login input[name="token"]', admin.token);
    await page.fill('#login input[name="namespaces"]', "default, catalog");
    await page.screenshot({ path: screenshotPath(shots, "1-sign-in") });
    await page.click('#login button[type="submit"]');
    await expect.poll(() => page.locator("#board").isVisible()).toBe(true);
    const storage = await page.evaluate(() => ({
      session: Object.values(sessionStorage).join(" "),
      local: Object.values(localStorage).join(" "),
      cookies: document.cookie,
      url: location.href,
    }));
    expect(storage.session).toContain(admin.token);
    expect(storage.local + storage.cookies + storage.url).not.toContain(admin.token);
  });

  it("shows each namespace's stats and draws the charts", async () => {
    await expect.poll(() => metric("catalog", "lookups").textContent()).toBe("14");
    expect(await metric("catalog", "hitRate").textContent()).toBe("85.7 %"); // 12 of 14
    expect(await metric("catalog", "originSaved").textContent()).toBe("14");
    expect(await metric("catalog", "entries").textContent()).toBe("6");
    expect(await metric("catalog", "outbox").textContent()).toBe("0");
    expect(await metric("default", "lookups").textContent()).toBe("0");
    // New traffic shows up as a point on both charts.
    for (let i = 0; i < 5; i++) data(await client.query("get", { namespace: "catalog", key: "p0" }));
    await expect.poll(() => metric("catalog", "lookups").textContent()).toBe("19");
    await expect.poll(() => page.locator('article[data-namespace="catalog"] svg.chart polyline').count()).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: screenshotPath(shots, "2-stats"), fullPage: true });
  });

  it("runs an invalidation from the form and shows the job reaching 100 %", async () => {
    await page.selectOption('#invalidate select[name="namespace"]', "catalog");
    await page.fill('#invalidate input[name="tags"]', "blue");
    await page.click('#invalidate button[type="submit"]');
    const job = page.locator("#jobs li").first();
    await expect.poll(() => job.getAttribute("data-state"), { timeout: 20_000 }).toBe("completed");
    expect(await job.locator("progress").evaluate((p: HTMLProgressElement) => p.value)).toBe(100);
    expect(await job.textContent()).toContain("100 %");
    await page.screenshot({ path: screenshotPath(shots, "3-invalidation-done"), fullPage: true });
    const jobId = await job.getAttribute("data-job-id");
    expect(data(await client.query("status", { namespace: "catalog", id: jobId }))).toMatchObject({ state: "completed", progress: 100, invalidatedKeys: 3 });
    expect(data(await client.query("get", { namespace: "catalog", key: "p0" })).found).toBe(false);
    expect(data(await client.query("get", { namespace: "catalog", key: "p4" })).found).toBe(true);
    await expect.poll(() => metric("catalog", "jobs").textContent()).toBe("0 / 0 / 1 / 0");
  });

  it("announces the connection status in a live region", async () => {
    const region = page.locator("#connection");
    expect(await region.getAttribute("aria-live")).toBe("polite");
    expect(await region.getAttribute("role")).toBe("status");
    expect(await region.textContent()).toBe("Connection: online · nothing queued");
    await context.setOffline(true);
    await expect.poll(() => region.textContent()).toBe("Connection: offline · nothing queued");
    await page.screenshot({ path: screenshotPath(shots, "4-offline") });
    await context.setOffline(false);
    await expect.poll(() => region.textContent(), { timeout: 15_000 }).toBe("Connection: online · nothing queued");
  });

  it("keeps following its jobs after a reload (the token survives in the tab's session)", async () => {
    await page.reload();
    await expect.poll(() => page.locator("#board").isVisible()).toBe(true);
    await expect.poll(() => page.locator("#jobs li").first().getAttribute("data-state")).toBe("completed");
  });

  it("logged the dashboard's calls without its token or any cached value", () => {
    const lines = requestLogLines(server.output());
    expect(lines.some((line) => line.procedure?.includes("stats") && line.tokenId === "dashboard-admin")).toBe(true);
    expect(lines.some((line) => line.procedure === "invalidate" && line.namespace === "catalog")).toBe(true);
    const file = saveLog("dashboard", server.output());
    expect(findSecrets(server.output(), { tokens: [admin.token], values: Array.from({ length: 6 }, (_, i) => value(i)) }), `see ${file}`).toEqual([]);
  });
});
