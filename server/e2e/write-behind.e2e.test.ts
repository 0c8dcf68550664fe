import { afterAll, beforeAll, expect, it } from "vitest";
import { startOrigin, type OriginServer } from "@cache-sync/dev-kit/origin-server";
import { bearer, cacheTokensVar, issueToken } from "@cache-sync/dev-kit/tokens";
import { startDevServer, type DevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { data, makeClient } from "@cache-sync/dev-kit/http";

const admin = issueToken("admin", ["admin"], ["*"]);
let origin: OriginServer;
let server: DevServer;

interface SinkCall {
  status: number | null;
  body: { batchId: string; records: { key: string; version: number; value: string | null }[] };
}
const sinkCalls = async (): Promise<SinkCall[]> =>
  ((await (await fetch(`${origin.url}/__purge/calls?prefix=/purge/e2e-sink`)).json()) as { calls: SinkCall[] }).calls;

const vars = () => ({
  CACHE_CONFIG: {
    namespaces: {
      default: {},
      orders: { shards: 2, writeBehind: { sink: "http", url: `${origin.url}/purge/e2e-sink`, flushIntervalMs: 4_000 } },
    },
  },
  CACHE_TOKENS: cacheTokensVar([admin]),
});

beforeAll(async () => {
  origin = await startOrigin();
  server = await startDevServer({ vars: vars() });
});

afterAll(async () => {
  await server?.stop();
  await origin?.close();
});

it("an outbox left behind by a stopped wrangler dev is flushed after it starts again; nothing lost", async () => {
  // The sink is down while the first server runs, so however slowly this machine goes (a flush may
  // come due before the stop), nothing it holds can be acknowledged before the restart.
  const sinkBehaves = (behaviour: object) =>
    fetch(`${origin.url}/__purge/behave`, { method: "POST", body: JSON.stringify({ path: "/purge/e2e-sink", ...behaviour }) }).then((r) =>
      r.text(),
    );
  await sinkBehaves({ failTimes: 1_000_000, failStatus: 503 });
  const client = makeClient(server.url, bearer(admin));
  const written = new Map<string, number>();
  for (let i = 0; i < 12; i++) {
    const key = `order-${i % 6}`;
    written.set(key, data(await client.mutate("set", { namespace: "orders", key, value: { i } })).version);
  }
  // The writes exist only in the shards' outboxes: the sink acknowledged none of them.
  await server.stop();
  expect((await sinkCalls()).filter((call) => call.status === 200)).toHaveLength(0);
  await sinkBehaves({});

  server = await startDevServer({ vars: vars(), stateDir: server.stateDir });
  const deadline = Date.now() + 30_000;
  let delivered: SinkCall["body"]["records"] = [];
  while (Date.now() < deadline) {
    delivered = (await sinkCalls()).filter((call) => call.status === 200).flatMap((call) => call.body.records);
    if (delivered.length >= written.size) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(delivered.map((r) => r.key).sort()).toEqual([...written.keys()].sort());
  for (const record of delivered) expect(record.version).toBe(written.get(record.key));
  const stats = data(await makeClient(server.url, bearer(admin)).query("stats", { namespace: "orders" }));
  expect(stats.writeBehind).toMatchObject({ pending: 0, flushed: 6 });
});
