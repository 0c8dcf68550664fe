import { describe, expect, it } from "vitest";
import { behave, originCount, uniqueKey } from "../../test/support/origin-control.ts";
import { ok, query } from "../../test/support/trpc-http.ts";
import { inCanary } from "./rollout.ts";

describe("rollout modes", () => {
  it("shadow returns the origin's answer and counts a mismatch after the origin changed and the cache did not", async () => {
    const key = uniqueKey("shadow");
    await behave(key, { value: { price: 10 } });
    expect(await ok(query("get", { namespace: "shadowed", key }))).toMatchObject({ value: { price: 10 }, source: "origin" });
    const agreeing = await ok(query("stats", { namespace: "shadowed" }));
    await ok(query("get", { namespace: "shadowed", key }));
    const afterAgreement = await ok(query("stats", { namespace: "shadowed" }));
    expect(afterAgreement.shadowReads - agreeing.shadowReads).toBe(1);
    expect(afterAgreement.shadowMismatches - agreeing.shadowMismatches).toBe(0);

    await behave(key, { value: { price: 12 } }); // the origin changed; the cache (fresh for 60 s) did not
    expect(await ok(query("get", { namespace: "shadowed", key }))).toMatchObject({ value: { price: 12 }, source: "origin" });
    const afterChange = await ok(query("stats", { namespace: "shadowed" }));
    expect(afterChange.shadowMismatches - afterAgreement.shadowMismatches).toBe(1);
  });

  it("canary sends the configured share of keys through the cache (±2 % over 10,000 keys)", () => {
    for (const percent of [5, 30, 50, 90]) {
      let cached = 0;
      for (let i = 0; i < 10_000; i++) if (inCanary(`product-${i}`, percent)) cached++;
      expect(Math.abs(cached / 100 - percent)).toBeLessThanOrEqual(2);
    }
    expect(inCanary("same-key", 30)).toBe(inCanary("same-key", 30));
  });

  it("in canary mode a key outside the share goes to the origin every time; one inside is cached", async () => {
    const outside = Array.from({ length: 50 }, (_, i) => `out-${i}-${crypto.randomUUID()}`).find((k) => !inCanary(k, 30))!;
    const inside = Array.from({ length: 50 }, (_, i) => `in-${i}-${crypto.randomUUID()}`).find((k) => inCanary(k, 30))!;
    for (let i = 0; i < 3; i++) {
      await ok(query("get", { namespace: "canary", key: outside }));
      await ok(query("get", { namespace: "canary", key: inside }));
    }
    expect(await originCount(outside)).toBe(3);
    expect(await originCount(inside)).toBe(1);
  });
});
