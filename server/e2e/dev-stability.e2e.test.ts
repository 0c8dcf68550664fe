// A dev server that holds still: `wrangler dev` (started as every test starts it, from the repo's
// wrangler.jsonc) serves a minute of continuous writes from its first second with no 503, while
// bursts of origin traffic (a herd, stale reads with a background refresh, an outage) alternate
// with bursts of 400 concurrent writes. Each 503 "Your worker restarted mid-request" that a
// runtime reload (wrangler's custom build used to cause one at start) or a proxy connection reset
// (scripts/patch-wrangler-proxy.mjs) causes would show here.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startOrigin, type OriginServer } from "@cache-sync/dev-kit/origin-server";
import { bearer, cacheTokensVar, issueToken } from "@cache-sync/dev-kit/tokens";
import { startDevServer, type DevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { makeClient, type Reply } from "@cache-sync/dev-kit/http";

const RUN_MS = 60_000;
const admin = issueToken("stability", ["admin"], ["*"]);
let origin: OriginServer;
let server: DevServer;
let startedAt = 0;

beforeAll(async () => {
  origin = await startOrigin();
  startedAt = Date.now();
  server = await startDevServer({
    vars: {
      CACHE_CONFIG: {
        namespaces: {
          default: {},
          products: {
            freshMs: 1_500,
            staleMs: 120_000,
            origin: { url: `${origin.url}/items/{key}`, timeoutMs: 5_000, errorBackoffMs: 200 },
          },
          steady: {},
          burst: {},
        },
      },
      CACHE_TOKENS: cacheTokensVar([admin]),
    },
  });
});

afterAll(async () => {
  await server?.stop();
  await origin?.close();
});

const behave = (body: Record<string, unknown>) =>
  fetch(`${origin.url}/__behave`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then(
    (r) => r.text(),
  );
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it("serves 60 s of writes from the first second, through herds, stale refreshes, outages and write bursts, with no 503", async () => {
  const http = makeClient(server.url, bearer(admin));
  // A connection cut without an answer counts as a failure like a 503 (status 0), not a crash of the test.
  const settle = (call: Promise<Reply>): Promise<Reply> =>
    call.catch((error) => ({ status: 0, body: String(error?.cause ?? error), headers: new Headers() }));
  const client = {
    query: (procedure: string, input: unknown) => settle(http.query(procedure, input)),
    mutate: (procedure: string, input: unknown) => settle(http.mutate(procedure, input)),
  };
  const failures: string[] = [];
  const note = (what: string, reply: Reply) => {
    if (reply.status >= 300) failures.push(`${what}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`);
  };
  const ready = Date.now();
  let writes = 0;
  let stop = false;
  // The steady writer: one write after another, from the moment the server first answered.
  const writer = (async () => {
    while (!stop) {
      const key = `w-${writes++}`;
      note(`steady set ${key}`, await client.mutate("set", { namespace: "steady", key, value: { n: writes } }));
    }
  })();

  let round = 0;
  while (Date.now() - ready < RUN_MS) {
    round++;
    // A herd: 300 concurrent reads of one cold key behind a 400 ms origin.
    await behave({ key: `herd-${round}`, latencyMs: 400 });
    const herd = await Promise.all(Array.from({ length: 300 }, () => client.query("get", { namespace: "products", key: `herd-${round}` })));
    for (const r of herd) note(`herd get ${round}`, r);

    // Stale reads: the origin slows to 1 s, the entry goes stale, 100 concurrent reads are served
    // stale while one background refresh runs; then a read every 100 ms until the new value shows.
    const staleKey = `stale-${round}`;
    note("stale warm-up", await client.query("get", { namespace: "products", key: staleKey }));
    await behave({ key: staleKey, latencyMs: 1_000 });
    await sleep(1_700);
    const stale = await Promise.all(Array.from({ length: 100 }, () => client.query("get", { namespace: "products", key: staleKey })));
    for (const r of stale) note(`stale get ${round}`, r);
    for (let i = 0; i < 50; i++) {
      const read = await client.query("get", { namespace: "products", key: staleKey });
      note(`refresh poll ${round}`, read);
      if (read.body?.result?.data?.value?.fetch === 2) break;
      await sleep(100);
    }

    // An outage: the origin fails; a cached key is served stale (200), a cold one fails cleanly (502).
    await behave({ key: staleKey, status: 503 });
    await sleep(1_600);
    const during = await Promise.all(Array.from({ length: 50 }, () => client.query("get", { namespace: "products", key: staleKey })));
    for (const r of during) note(`outage stale get ${round}`, r);
    await behave({ key: `down-${round}`, status: 503 });
    const cold = await Promise.all(Array.from({ length: 50 }, () => client.query("get", { namespace: "products", key: `down-${round}` })));
    for (const r of cold) if (r.status !== 502) failures.push(`outage cold get: expected 502, got ${r.status}`);

    // A burst of 400 concurrent writes with tags, right after the origin traffic.
    const burst = await Promise.all(
      Array.from({ length: 400 }, (_, i) =>
        client.mutate("set", { namespace: "burst", key: `b-${round}-${i}`, value: { i }, tags: [`round-${round}`] }),
      ),
    );
    burst.forEach((r, i) => {
      note(`burst set ${round}-${i}`, r);
    });
  }
  stop = true;
  await writer;

  // On failure, what wrangler said about reloads and errors is the first clue.
  if (failures.length > 0)
    console.log(
      server
        .output()
        .split("\n")
        .filter((l) => /reload|restart|error/i.test(l))
        .slice(-40)
        .join("\n"),
    );
  console.log(
    `stability: first answer ${ready - startedAt} ms after start, ${round} rounds, ${writes} steady writes in ${Date.now() - ready} ms`,
  );
  expect(failures, failures.slice(0, 10).join("\n")).toEqual([]);
  expect(round).toBeGreaterThanOrEqual(3);
  expect(writes).toBeGreaterThan(100);
  expect(server.output()).not.toMatch(/restarted mid-request|Connection reset by peer/);
}, 180_000);
