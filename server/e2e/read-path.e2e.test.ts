import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOrigin, type OriginServer } from "@cache-sync/dev-kit/origin-server";
import { bearer, cacheTokensVar, issueToken } from "@cache-sync/dev-kit/tokens";
import { startDevServer, type DevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { data, makeClient } from "@cache-sync/dev-kit/http";

const admin = issueToken("admin", ["admin"], ["*"]);
const vars = () => ({ CACHE_CONFIG: config(), CACHE_TOKENS: cacheTokensVar([admin]) });

let origin: OriginServer;
let server: DevServer;
let client: ReturnType<typeof makeClient>;

const behave = (key: string, behaviour: object) =>
  fetch(`${origin.url}/__behave`, { method: "POST", body: JSON.stringify({ key, ...behaviour }) }).then((r) => r.text());
const originCount = async (key: string) =>
  ((await (await fetch(`${origin.url}/__count?key=${encodeURIComponent(key)}`)).json()) as { count: number }).count;

function config() {
  return {
    namespaces: {
      default: {},
      products: { origin: { url: `${origin.url}/items/{key}`, timeoutMs: 3_000 }, freshMs: 1_500, staleMs: 60_000 },
    },
  };
}

beforeAll(async () => {
  origin = await startOrigin();
  server = await startDevServer({ vars: vars() });
  client = makeClient(server.url, bearer(admin));
});

afterAll(async () => {
  await server?.stop();
  await origin?.close();
});

describe("read path through wrangler dev", () => {
  it("300 concurrent gets of a cold key behind a 400 ms origin make one origin request", async () => {
    const key = "herd-1";
    await behave(key, { latencyMs: 400, value: { sku: key, price: 12.5 } });
    const replies = await Promise.all(Array.from({ length: 300 }, () => client.query("get", { namespace: "products", key })));
    expect(replies.map((r) => r.status)).toEqual(Array(300).fill(200));
    const values = new Set(replies.map((r) => JSON.stringify(r.body.result.data.value)));
    expect([...values]).toEqual([JSON.stringify({ sku: key, price: 12.5 })]);
    expect(await originCount(key)).toBe(1);
  });

  it("after freshMs, 100 concurrent gets are served stale at once and one refresh reaches the origin", async () => {
    const key = "swr-1";
    await behave(key, { latencyMs: 1_000 });
    const first = data(await client.query("get", { namespace: "products", key }));
    expect(first.value).toEqual({ key, fetch: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1_700)); // past freshMs (1.5 s)
    const started = Date.now();
    const replies = await Promise.all(Array.from({ length: 100 }, () => client.query("get", { namespace: "products", key })));
    const elapsed = Date.now() - started;
    expect(replies.every((r) => r.body.result.data.state === "stale")).toBe(true);
    expect(replies.every((r) => r.body.result.data.value.fetch === 1)).toBe(true);
    // Nobody waited for the 1 s origin.
    expect(elapsed).toBeLessThan(1_000);
    await new Promise((resolve) => setTimeout(resolve, 1_300)); // let the refresh land
    expect(await originCount(key)).toBe(2);
    const next = data(await client.query("get", { namespace: "products", key }));
    expect(next).toMatchObject({ state: "fresh", value: { key, fetch: 2 } });
  });

  it("a set made while an origin load of the key is in flight wins over the load", async () => {
    const key = "race-1";
    await behave(key, { latencyMs: 800, value: "from-origin" });
    const load = client.query("get", { namespace: "products", key });
    await new Promise((resolve) => setTimeout(resolve, 200));
    data(await client.mutate("set", { namespace: "products", key, value: "from-set" }));
    await load;
    const next = data(await client.query("get", { namespace: "products", key }));
    expect(next.value).toBe("from-set");
  });

  it("the proxy route answers MISS, then HIT, then 304 for a matching If-None-Match", async () => {
    const key = "shelf/item 7";
    await behave(key, { value: { id: 7 }, tags: ["shelf"] });
    const path = `/r/products/${encodeURIComponent(key).replace("%2F", "/")}`;
    const miss = await client.raw(path, { headers: bearer(admin) });
    expect(miss.status).toBe(200);
    expect(miss.headers.get("x-cache")).toBe("MISS");
    expect(miss.headers.get("content-type")).toMatch(/application\/json/);
    expect(miss.body).toEqual({ id: 7 });
    const hit = await client.raw(path, { headers: bearer(admin) });
    expect(hit.headers.get("x-cache")).toBe("HIT");
    // Issue 17: namespaced, then the key's hashed tag and the namespace's.
    expect(hit.headers.get("cache-tag")).toMatch(/^products:shelf,products\/key\/[0-9a-f]{16},products$/);
    const etag = hit.headers.get("etag")!;
    expect(etag).toMatch(/^"\d+"$/);
    const notModified = await client.raw(path, { headers: { ...bearer(admin), "If-None-Match": etag } });
    expect(notModified.status).toBe(304);
  });

  it("an origin 404 is a 404 on the proxy and found: false on get", async () => {
    const key = "gone-1";
    await behave(key, { status: 404 });
    expect((await client.raw(`/r/products/${key}`, { headers: bearer(admin) })).status).toBe(404);
    expect(data(await client.query("get", { namespace: "products", key }))).toMatchObject({ found: false, value: null });
    expect(await originCount(key)).toBe(1); // the 404 is remembered
  });
});

describe("durability", () => {
  it("a write acknowledged before wrangler dev stops is read back after it restarts", async () => {
    const written = data(await client.mutate("set", { key: "durable-1", value: { kept: true } }));
    await server.stop();
    server = await startDevServer({ vars: vars(), stateDir: server.stateDir });
    client = makeClient(server.url, bearer(admin));
    const read = data(await client.query("get", { key: "durable-1" }));
    expect(read).toMatchObject({ found: true, value: { kept: true }, version: written.version, source: "storage" });
  });
});
