// Issue 14, acceptance 3: a herd's 1,000 waiters of one origin load are answered with one JSON
// serialization of the value, shared: the shard holds the value as text and every front door splices
// that text into its answer. Counted by wrapping JSON.stringify in this isolate, where the Worker and
// its Durable Objects run in the test pool.
import { afterEach, describe, expect, it } from "vitest";
import { inShard } from "../../test/support/in-object.ts";
import { behave, originCount, uniqueKey } from "../../test/support/origin-control.ts";
import { shardStub } from "../../test/support/shards.ts";
import { query, send } from "../../test/support/trpc-http.ts";

const original = JSON.stringify;
const restores: Array<() => Promise<void>> = [];
afterEach(async () => {
  JSON.stringify = original;
  for (const restore of restores.splice(0)) await restore();
});

/** Counts the owning shard's SQLite reads of `key`'s entry row from now on (the shard runs in this isolate). */
async function countEntryReads(namespace: string, key: string): Promise<() => number> {
  const stub = shardStub(namespace, key);
  let reads = 0;
  await inShard(stub, (_shard, state) => {
    const sql = state.storage.sql;
    const exec = sql.exec;
    sql.exec = function (this: SqlStorage, query: string, ...bindings: unknown[]) {
      if (/FROM entries WHERE key = \?/.test(query) && bindings[0] === key) reads++;
      return exec.call(this, query, ...bindings);
    } as SqlStorage["exec"];
    restores.push(() => inShard(stub, () => void (sql.exec = exec)));
  });
  return () => reads;
}

/** Counts from now on the serializations whose text holds `needle`. */
function countSerializations(needle: string): { count: number } {
  const counter = { count: 0 };
  JSON.stringify = function (this: unknown, ...args: Parameters<typeof JSON.stringify>) {
    const text = original.apply(this, args);
    if (typeof text === "string" && text.includes(needle)) counter.count++;
    return text;
  } as typeof JSON.stringify;
  return counter;
}

describe("a herd of 1,000 readers of one cold key", () => {
  it("through the tRPC get: one origin load, one JSON serialization of its value, 1,000 identical values", async () => {
    const key = uniqueKey("herd-json");
    await behave(key, { latencyMs: 400 });
    const serializations = countSerializations(`"key":"${key}","fetch"`); // the value, not the request input
    const replies = await Promise.all(Array.from({ length: 1_000 }, () => query("get", { namespace: "products", key })));
    expect(replies.every((reply) => reply.status === 200)).toBe(true);
    expect(new Set(replies.map((reply) => original(reply.body.result.data.value)))).toEqual(new Set([original({ key, fetch: 1 })]));
    expect(await originCount(key)).toBe(1);
    expect(serializations.count).toBe(1); // the origin's answer, made canonical once as it enters the cache
  });

  it("through the read-through proxy: the same", async () => {
    const key = uniqueKey("herd-proxy");
    await behave(key, { latencyMs: 400 });
    const serializations = countSerializations(`"key":"${key}","fetch"`); // the value, not the request input
    const replies = await Promise.all(Array.from({ length: 1_000 }, () => send(`/r/products/${key}`)));
    expect(replies.every((reply) => reply.status === 200)).toBe(true);
    expect(new Set(replies.map((reply) => original(reply.body)))).toEqual(new Set([original({ key, fetch: 1 })]));
    expect(await originCount(key)).toBe(1);
    expect(serializations.count).toBe(1);
  });

  it("the waiters join the load in flight without reading SQLite each", async () => {
    const key = uniqueKey("herd-sqlite");
    await behave(key, { latencyMs: 400 });
    const entryReads = await countEntryReads("products", key);
    const replies = await Promise.all(Array.from({ length: 1_000 }, () => query("get", { namespace: "products", key })));
    expect(replies.every((reply) => reply.status === 200 && reply.body.result.data.found)).toBe(true);
    expect(await originCount(key)).toBe(1);
    // The first reader looks in SQLite before it starts the load; the 999 others find the load running.
    expect(entryReads()).toBeLessThanOrEqual(2);
  });
});
