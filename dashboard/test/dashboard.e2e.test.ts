// Issue 8 and the operator dashboard: /dashboard/ in real Chromium against `wrangler dev`. It asks
// for a token (kept in sessionStorage only), lists the namespaces configured on the server (the
// `namespaces` query; no secret of the config reaches the page), draws uPlot charts with axes,
// units and tooltips, lists the selected namespace's recent jobs from the server (the `jobs`
// query; also jobs not started from the tab) with live progress, runs invalidate, warm and flush,
// and shows the SDK's connection status in a live region. Screenshots go to dashboard/test-artifacts/
// (git-ignored): dashboard.png, and one per step under steps/. The assets are built by vitest.config.ts.
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshotPath } from "@cache-sync/dev-kit/browser";
import { data, makeClient } from "@cache-sync/dev-kit/http";
import { findSecrets, requestLogLines, saveLog } from "@cache-sync/dev-kit/secret-scan";
import { bearer, cacheTokensVar, issueToken } from "@cache-sync/dev-kit/tokens";
import { startDevServer, type DevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { startOrigin, type OriginServer } from "@cache-sync/dev-kit/origin-server";

const admin = issueToken("dashboard-admin", ["admin"], ["*"]);
const artifactsDir = fileURLToPath(new URL("../test-artifacts/", import.meta.url));
const shots = `${artifactsDir}steps`;
const value = (i: number) => ({ sku: `dashboard-value-${i}-e0c7`, price: i });
/** Sent by the cache to the origin only: the dashboard must never see it. */
const ORIGIN_HEADER_SECRET = "origin-header-secret-7d1f0a";

let server: DevServer;
let origin: OriginServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let client: ReturnType<typeof makeClient>;
/** The job started over HTTP before the page opened (so not from the tab). */
let earlierJobId: string;

const originCount = async (key: string) =>
  ((await (await fetch(`${origin.url}/__count?key=${encodeURIComponent(key)}`)).json()) as { count: number }).count;

beforeAll(async () => {
  origin = await startOrigin();
  server = await startDevServer({
    vars: {
      CACHE_CONFIG: {
        namespaces: {
          default: {},
          catalog: { shards: 4 },
          products: { shards: 2, origin: { url: `${origin.url}/items/{key}`, headers: { "x-origin-key": ORIGIN_HEADER_SECRET } } },
          ledger: { shards: 2, writeBehind: { sink: "d1", flushIntervalMs: 600_000 } },
        },
      },
      CACHE_TOKENS: cacheTokensVar([admin]),
    },
    logLevel: "log",
  });
  client = makeClient(server.url, bearer(admin));
  // A workload the stats can show: 6 writes (3 tagged "blue"), 12 hits, 2 misses.
  for (let i = 0; i < 6; i++)
    data(await client.mutate("set", { namespace: "catalog", key: `p${i}`, value: value(i), tags: i < 3 ? ["blue"] : ["red"] }));
  for (let round = 0; round < 2; round++)
    for (let i = 0; i < 6; i++) data(await client.query("get", { namespace: "catalog", key: `p${i}` }));
  for (const key of ["absent-1", "absent-2"]) data(await client.query("get", { namespace: "catalog", key }));
  // A job the tab did not start, and write-behind records waiting for a flush.
  earlierJobId = data(await client.mutate("invalidate", { namespace: "catalog", prefixes: ["nothing-here/"] })).id;
  for (let i = 0; i < 3; i++) data(await client.mutate("set", { namespace: "ledger", key: `l${i}`, value: value(i) }));
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 1100 } });
  // uPlot draws tick labels and axis titles on its canvas: record the text each canvas draws.
  await context.addInitScript(() => {
    const fillText = CanvasRenderingContext2D.prototype.fillText;
    CanvasRenderingContext2D.prototype.fillText = function (text: string, x: number, y: number, maxWidth?: number) {
      const canvas = this.canvas as HTMLCanvasElement & { drawnText?: Set<string> };
      (canvas.drawnText ??= new Set()).add(String(text));
      return maxWidth === undefined ? fillText.call(this, text, x, y) : fillText.call(this, text, x, y, maxWidth);
    };
  });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await origin?.close();
});

const card = (namespace: string) => page.locator(`article[data-namespace="${namespace}"]`);
const metric = (namespace: string, name: string) => card(namespace).locator(`dd[data-metric="${name}"]`);
const jobRow = (id: string) => page.locator(`#jobs li[data-job-id="${id}"]`);
const canvasText = (chart: Locator) =>
  chart.locator("canvas").evaluate((canvas) => [...((canvas as HTMLCanvasElement & { drawnText?: Set<string> }).drawnText ?? [])]);

describe("the dashboard's assets", () => {
  it("are the build's: the page, its script and its style sheet, as the Worker's static assets", async () => {
    const page = await fetch(`${server.url}/dashboard/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>cache-sync dashboard</title>");
    for (const [path, type] of [
      ["/dashboard/app.js", /javascript/],
      ["/dashboard/style.css", /text\/css/],
    ] as const) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type"), path).toMatch(type);
      expect((await response.text()).length, path).toBeGreaterThan(1_000);
    }
  });
});

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

  it("lists the namespaces configured on the server, with their settings and none of their secrets", async () => {
    const choices = page.locator("#namespace-list label");
    await expect.poll(() => choices.count()).toBe(4);
    expect(await choices.evaluateAll((labels) => labels.map((l) => (l as HTMLElement).dataset.namespace))).toEqual([
      "catalog",
      "default",
      "ledger",
      "products",
    ]);
    expect(await page.locator('#namespace-list label[data-namespace="products"] small').textContent()).toBe(
      "2 shards · origin · fresh 60.0 s",
    );
    expect(await page.locator('#namespace-list label[data-namespace="ledger"] small').textContent()).toBe(
      "2 shards · write-behind · fresh 60.0 s",
    );
    // Every configured namespace gets a card and is a choice for the operations.
    await expect.poll(() => page.locator("article.ns").count()).toBe(4);
    expect(await page.locator("#ops-namespace option").allTextContents()).toEqual(["catalog", "default", "ledger", "products"]);
    const html = await page.content();
    expect(html).not.toContain(ORIGIN_HEADER_SECRET);
    expect(html).not.toContain(origin.url);
    // Unticking a namespace hides its card.
    await page.uncheck('#namespace-list label[data-namespace="default"] input');
    await expect.poll(() => page.locator("article.ns").count()).toBe(3);
    await page.check('#namespace-list label[data-namespace="default"] input');
    await expect.poll(() => page.locator("article.ns").count()).toBe(4);
  });

  it("shows each namespace's stats", async () => {
    await expect.poll(() => metric("catalog", "lookups").textContent()).toBe("14");
    expect(await metric("catalog", "hitRate").textContent()).toBe("85.7 %"); // 12 of 14
    expect(await metric("catalog", "originSaved").textContent()).toBe("14");
    expect(await metric("catalog", "entries").textContent()).toBe("6");
    expect(await metric("ledger", "outbox").textContent()).toBe("3");
    expect(await metric("default", "lookups").textContent()).toBe("0");
  });

  it("draws the charts with time and value axes, units and a tooltip", async () => {
    // New traffic shows up as points; keep some coming so the latest interval has lookups.
    for (let i = 0; i < 5; i++) data(await client.query("get", { namespace: "catalog", key: "p0" }));
    await expect.poll(() => metric("catalog", "lookups").textContent()).toBe("19");
    const [hitChart, rateChart] = [card("catalog").locator(".chart").nth(0), card("catalog").locator(".chart").nth(1)];
    // uPlot: one plot per chart, each with an x and a y axis.
    expect(await hitChart.locator(".uplot").count()).toBe(1);
    expect(await hitChart.locator(".u-axis").count()).toBe(2);
    expect(await rateChart.locator(".u-axis").count()).toBe(2);
    // What the axes say: titles with units, percentage and per-second ticks, clock times.
    await expect.poll(async () => (await canvasText(hitChart)).includes("hit rate (%)")).toBe(true);
    const hitText = await canvasText(hitChart);
    expect(hitText).toEqual(expect.arrayContaining(["time (local)", "0 %", "100 %"]));
    expect(
      hitText.some((t) => /^\d{2}:\d{2}:\d{2}$/.test(t)),
      hitText.join(" | "),
    ).toBe(true);
    const rateText = await canvasText(rateChart);
    expect(rateText).toEqual(expect.arrayContaining(["lookups per second", "time (local)"]));
    expect(
      rateText.some((t) => /^\d+(\.\d+)?\/s$/.test(t)),
      rateText.join(" | "),
    ).toBe(true);
    expect(await hitChart.getAttribute("aria-label")).toMatch(/^Hit rate per interval; latest (\d+\.\d %|no lookups)$/);
    // Hovering the latest point shows its time and value.
    const over = rateChart.locator(".u-over");
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
    const tooltip = rateChart.locator(".chart-tooltip");
    await expect.poll(() => tooltip.isVisible()).toBe(true);
    expect(await tooltip.textContent()).toMatch(/^\d{2}:\d{2}:\d{2} · lookups: \d+(\.\d+)?\/s$/);
    await page.screenshot({ path: screenshotPath(shots, "2-stats"), fullPage: true });
    await page.mouse.move(0, 0);
  });

  it("lists the namespace's recent jobs from the server, including one the tab did not start", async () => {
    expect(await page.locator("#ops-namespace").inputValue()).toBe("catalog");
    const earlier = jobRow(earlierJobId);
    await expect.poll(() => earlier.getAttribute("data-state")).toBe("completed");
    expect(await earlier.locator("progress").evaluate((p: HTMLProgressElement) => p.value)).toBe(100);
    expect(await earlier.textContent()).toContain("4 / 4 targets");
    expect(await earlier.locator(".job-state").textContent()).toBe("100 %");
  });

  it("runs an invalidation from the form; its job appears on top and reaches 100 %", async () => {
    await page.fill('#invalidate input[name="tags"]', "blue");
    await page.click('#invalidate button[type="submit"]');
    await expect
      .poll(() => page.locator("[data-role=action-result]").textContent())
      .toMatch(/^Invalidation job \w{8} accepted in catalog\.$/);
    const first = page.locator("#jobs li").first();
    await expect.poll(() => first.getAttribute("data-job-id")).not.toBe(earlierJobId);
    await expect.poll(() => first.getAttribute("data-state"), { timeout: 20_000 }).toBe("completed");
    expect(await first.locator("progress").evaluate((p: HTMLProgressElement) => p.value)).toBe(100);
    expect(await first.textContent()).toContain("3 entries");
    expect(await page.locator("#jobs li").count()).toBe(2);
    const jobId = await first.getAttribute("data-job-id");
    expect(data(await client.query("status", { namespace: "catalog", id: jobId }))).toMatchObject({
      state: "completed",
      progress: 100,
      invalidatedKeys: 3,
    });
    expect(data(await client.query("get", { namespace: "catalog", key: "p0" })).found).toBe(false);
    expect(data(await client.query("get", { namespace: "catalog", key: "p4" })).found).toBe(true);
    await expect.poll(() => metric("catalog", "jobs").textContent()).toBe("0 / 0 / 2 / 0");
  });

  it("warms keys of an origin namespace and follows the warm job", async () => {
    await page.selectOption("#ops-namespace", "products");
    await expect.poll(() => page.locator("[data-role=jobs-namespace]").textContent()).toBe("products");
    await expect.poll(() => page.locator("#jobs li").first().textContent()).toContain("No jobs in products");
    await page.fill('#warm input[name="keys"]', "w1, w2");
    await page.click('#warm button[type="submit"]');
    await expect
      .poll(() => page.locator("[data-role=action-result]").textContent())
      .toMatch(/^Warm job \w{8} accepted in products: w1, w2\.$/);
    const row = page.locator("#jobs li[data-job-id]").first();
    await expect.poll(() => row.getAttribute("data-state"), { timeout: 20_000 }).toBe("completed");
    expect(await row.textContent()).toContain("2 entries");
    expect([await originCount("w1"), await originCount("w2")]).toEqual([1, 1]);
    expect(data(await client.query("get", { namespace: "products", key: "w1" }))).toMatchObject({ found: true, state: "fresh" });
  });

  it("shows why a warm is refused (no origin) as an alert", async () => {
    await page.selectOption("#ops-namespace", "catalog");
    await page.fill('#warm input[name="keys"]', "p1");
    await page.click('#warm button[type="submit"]');
    const alert = page.locator("#operations [role=alert]");
    await expect.poll(() => alert.textContent()).toMatch(/^BAD_REQUEST: .*no origin to warm keys from/);
  });

  it("flushes a namespace's write-behind outbox", async () => {
    await page.selectOption("#ops-namespace", "ledger");
    await page.click("[data-action=flush]");
    await expect
      .poll(() => page.locator("[data-role=action-result]").textContent())
      .toBe("Flushed 3 write-behind records in ledger; 0 still pending.");
    await expect.poll(() => metric("ledger", "outbox").textContent()).toBe("0");
    await page.selectOption("#ops-namespace", "catalog");
    await expect.poll(() => page.locator("#jobs li[data-job-id]").count()).toBe(2);
    await page.locator(`#jobs li[data-job-id]`).first().scrollIntoViewIfNeeded();
    // The picture for people: the charts hovered, the namespaces, the operations and the jobs.
    const rateChart = card("catalog").locator(".chart").nth(1);
    await rateChart.scrollIntoViewIfNeeded();
    const box = (await rateChart.locator(".u-over").boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2);
    await page.screenshot({ path: `${artifactsDir}dashboard.png`, fullPage: true });
    await page.mouse.move(0, 0);
  });

  it("announces the connection status in a live region", async () => {
    const region = page.locator("#connection");
    expect(await region.getAttribute("aria-live")).toBe("polite");
    expect(await region.getAttribute("role")).toBe("status");
    expect(await region.textContent()).toBe("Connection: online · nothing queued");
    await context.setOffline(true);
    await expect.poll(() => region.textContent()).toBe("Connection: offline · nothing queued");
    expect(await region.getAttribute("data-status")).toBe("offline");
    await page.screenshot({ path: screenshotPath(shots, "3-offline") });
    await context.setOffline(false);
    await expect.poll(() => region.textContent(), { timeout: 15_000 }).toBe("Connection: online · nothing queued");
  });

  it("after a reload, the token survives in the tab's session and the jobs come back from the server", async () => {
    await page.reload();
    await expect.poll(() => page.locator("#board").isVisible()).toBe(true);
    await expect.poll(() => page.locator("#jobs li[data-job-id]").count()).toBe(2);
    await expect.poll(() => jobRow(earlierJobId).getAttribute("data-state")).toBe("completed");
  });

  it("logged the dashboard's calls without its token, a cached value or the origin's header", () => {
    const lines = requestLogLines(server.output());
    expect(lines.some((line) => line.procedure?.includes("stats") && line.tokenId === "dashboard-admin")).toBe(true);
    expect(lines.some((line) => line.procedure === "namespaces" && line.tokenId === "dashboard-admin")).toBe(true);
    expect(lines.some((line) => line.procedure === "jobs" && line.namespace === "catalog")).toBe(true);
    expect(lines.some((line) => line.procedure === "invalidate" && line.namespace === "catalog")).toBe(true);
    const file = saveLog("dashboard", server.output());
    const secrets = findSecrets(server.output(), {
      tokens: [admin.token, ORIGIN_HEADER_SECRET],
      values: Array.from({ length: 6 }, (_, i) => value(i)),
    });
    expect(secrets, `see ${file}`).toEqual([]);
  });
});
