import { describe, expect, it } from "vitest";
import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { mutate, ok, query } from "../../test/support/trpc-http.ts";
import { uniqueKey } from "../../test/support/origin-control.ts";
import { shardStub } from "../../test/support/shards.ts";
import { inShard } from "../../test/support/in-object.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const values = {
  nested: { a: { b: { c: [1, 2, { d: "deep" }] } }, e: true },
  array: [1, "two", null, { three: 3 }, [4.5, -6]],
  unicode: { text: "héllo wörld — 日本語 🚀", emoji: "👩‍👩‍👧" },
  null: null,
  number: 42.125,
  string: "plain",
};

describe("set and get", () => {
  for (const [name, value] of Object.entries(values)) {
    it(`returns a ${name} value exactly as it was set, fresh`, async () => {
      const key = uniqueKey(name);
      const written = await ok(mutate("set", { key, value, tags: ["kind"] }));
      const read = await ok(query("get", { key }));
      expect(read).toMatchObject({ found: true, value, state: "fresh", source: "memory", version: written.version, tags: ["kind"] });
    });
  }

  it("answers ageMs: the time since the write, by the shard's clock", async () => {
    const key = uniqueKey("age");
    const shard = shardStub("default", key);
    await inShard(shard, (s) => s.clock.freeze()); // only the test's own steps move the shard's time
    try {
      await ok(mutate("set", { key, value: 1 }));
      expect((await ok(query("get", { key }))).ageMs).toBe(0);
      await inShard(shard, (s) => s.clock.advance(1_234));
      expect(await ok(query("get", { key }))).toMatchObject({ state: "fresh", ageMs: 1_234 });
    } finally {
      await inShard(shard, (s) => s.clock.thaw());
    }
  });

  it("increases the version on every write of a key", async () => {
    const key = uniqueKey("versions");
    const versions: number[] = [];
    for (let i = 0; i < 5; i++) versions.push((await ok(mutate("set", { key, value: i }))).version);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    expect(new Set(versions).size).toBe(5);
    expect((await ok(query("get", { key }))).version).toBe(versions[4]);
  });

  it("delete removes the entry and says whether it existed", async () => {
    const key = uniqueKey("delete");
    await ok(mutate("set", { key, value: "x" }));
    expect(await ok(mutate("delete", { key }))).toEqual({ deleted: true });
    expect(await ok(query("get", { key }))).toEqual({
      found: false,
      value: null,
      state: "miss",
      source: null,
      version: null,
      ageMs: null,
      tags: [],
    });
    expect(await ok(mutate("delete", { key }))).toEqual({ deleted: false });
  });

  it("a version after a delete is still higher than before it", async () => {
    const key = uniqueKey("delete-version");
    const first = await ok(mutate("set", { key, value: 1 }));
    await ok(mutate("delete", { key }));
    const second = await ok(mutate("set", { key, value: 2 }));
    expect(second.version).toBeGreaterThan(first.version);
  });

  it("a value stored compressed reads back identical, from memory and from SQLite", async () => {
    const key = uniqueKey("packed");
    const value = { rows: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `row ${i} ✓` })) };
    await ok(mutate("set", { namespace: "packed", key, value }));
    const encoding = await inShard(shardStub("packed", key), (_shard, state) =>
      state.storage.sql
        .exec<{ encoding: string; bytes: number }>("SELECT encoding, length(value) AS bytes FROM entries WHERE key = ?", key)
        .one(),
    );
    expect(encoding.encoding).toBe("gzip");
    expect(encoding.bytes).toBeLessThan(JSON.stringify(value).length / 2);
    expect((await ok(query("get", { namespace: "packed", key }))).value).toEqual(value);
    // Restart every Durable Object: memory is gone, the next read decompresses from SQLite.
    await abortAllDurableObjects();
    const fromStorage = await ok(query("get", { namespace: "packed", key }));
    expect(fromStorage).toMatchObject({ source: "storage", value });
  });

  it("ttlMs and staleMs set the entry's windows", async () => {
    const key = uniqueKey("ttl");
    const written = await ok(mutate("set", { key, value: 1, ttlMs: 5_000, staleMs: 7_000 }));
    expect(written.staleUntil - written.freshUntil).toBe(7_000);
    expect(written.freshUntil - Date.now()).toBeLessThanOrEqual(5_000);
    expect(written.freshUntil - Date.now()).toBeGreaterThan(4_000);
  });

  it("refuses a value over the namespace's maxValueBytes with 413", async () => {
    const response = await mutate("set", { namespace: "small", key: uniqueKey("big"), value: "x".repeat(2_000) });
    expect(response.status).toBe(413);
    expect(response.body.error.data.code).toBe("PAYLOAD_TOO_LARGE");
    expect(response.body.error.message).toMatch(/at most 1000/);
  });
});

describe("compare-and-set and idempotency", () => {
  it("ifVersion mismatch is a 409 CONFLICT carrying the current version", async () => {
    const key = uniqueKey("cas");
    const { version } = await ok(mutate("set", { key, value: "a" }));
    const stale = await mutate("set", { key, value: "b", ifVersion: version - 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.data.code).toBe("CONFLICT");
    expect(stale.body.error.data.details.currentVersion).toBe(version);
    expect(stale.body.error.message).toContain(String(version));
    const matching = await ok(mutate("set", { key, value: "c", ifVersion: version }));
    expect(matching.version).toBeGreaterThan(version);
    expect((await ok(query("get", { key }))).value).toBe("c");
  });

  it("ifVersion 0 creates only when the key is absent", async () => {
    const key = uniqueKey("create-only");
    await ok(mutate("set", { key, value: 1, ifVersion: 0 }));
    expect((await mutate("set", { key, value: 2, ifVersion: 0 })).status).toBe(409);
  });

  it("the same idempotencyKey twice applies once and answers the first result", async () => {
    const key = uniqueKey("idem");
    const idempotencyKey = crypto.randomUUID();
    const first = await ok(mutate("set", { key, value: "first", idempotencyKey }));
    await ok(mutate("set", { key, value: "between" }));
    const replay = await ok(mutate("set", { key, value: "first", idempotencyKey }));
    expect(replay).toEqual(first);
    expect((await ok(query("get", { key }))).value).toBe("between");
  });

  it("a replayed delete is applied once", async () => {
    const key = uniqueKey("idem-delete");
    const idempotencyKey = crypto.randomUUID();
    await ok(mutate("set", { key, value: 1 }));
    expect(await ok(mutate("delete", { key, idempotencyKey }))).toEqual({ deleted: true });
    await ok(mutate("set", { key, value: 2 }));
    expect(await ok(mutate("delete", { key, idempotencyKey }))).toEqual({ deleted: true });
    expect((await ok(query("get", { key }))).value).toBe(2);
  });

  it("an idempotencyKey is remembered for at least 24 h, then swept", async () => {
    // Its own namespace (configured by namespaces.default): moving its shard's clock a day on
    // disturbs no other test.
    const namespace = "idem-retention";
    const key = uniqueKey("idem-day");
    const idempotencyKey = crypto.randomUUID();
    const twoDays = 2 * 24 * HOUR;
    const first = await ok(mutate("set", { namespace, key, value: "first", ttlMs: twoDays, idempotencyKey }));
    await ok(mutate("set", { namespace, key, value: "between", ttlMs: twoDays }));
    const shard = shardStub(namespace, key);

    await inShard(shard, (s) => s.clock.advance(24 * HOUR + MINUTE));
    await runDurableObjectAlarm(shard); // a sweep that runs now keeps it
    expect(await ok(mutate("set", { namespace, key, value: "first", ttlMs: twoDays, idempotencyKey }))).toEqual(first);
    expect(await ok(query("get", { namespace, key }))).toMatchObject({ value: "between" }); // applied once

    await inShard(shard, (s) => s.clock.advance(HOUR));
    await runDurableObjectAlarm(shard); // past the 25 h retention: the sweep drops the record
    const remembered = await runInDurableObject(
      shard,
      (_s, state) => state.storage.sql.exec(`SELECT COUNT(*) AS n FROM idempotency WHERE id = ?`, idempotencyKey).one().n,
    );
    expect(remembered).toBe(0);
  });

  it("an idempotencyKey reused for a different mutation is refused, not silently answered", async () => {
    const idempotencyKey = crypto.randomUUID();
    const key = uniqueKey("idem-a");
    await ok(mutate("set", { key, value: 1, idempotencyKey }));
    // A delete of the same key lands on the same shard, where the key is remembered.
    const reused = await mutate("delete", { key, idempotencyKey });
    expect(reused.status).toBe(400);
    expect(reused.body.error.message).toMatch(/already used/);
  });
});
