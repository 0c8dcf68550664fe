/** The hit scenario's round order: every series once per round, each target beside its floor. */
import { describe, expect, it } from "vitest";
import { roundOrder } from "../src/scenarios/hits.ts";

describe("the hit series' order in a round", () => {
  const rounds = Array.from({ length: 6 }, (_, i) => roundOrder(i + 1));

  it("runs every series exactly once per round", () => {
    const all = new Set(rounds[0]);
    expect(all.size).toBe(16);
    for (const order of rounds) expect([...order].sort()).toEqual([...all].sort());
  });

  it("runs the hot key right beside the floor, and the 1-connection hot key beside its floor", () => {
    for (const order of rounds) {
      expect(Math.abs(order.indexOf("hot10") - order.indexOf("floor10"))).toBe(1);
      expect(Math.abs(order.indexOf("hot1") - order.indexOf("floor1"))).toBe(1);
      expect(Math.abs(order.indexOf("spread10") - order.indexOf("floor10"))).toBeLessThanOrEqual(2);
    }
  });

  it("puts the floor first in half the rounds and last in the other half, and moves the blocks round by round", () => {
    const floorFirst = rounds.filter((order) => order.indexOf("floor10") < order.indexOf("hot10")).length;
    expect(floorFirst).toBe(3);
    expect(new Set(rounds.map((order) => order.indexOf("floor10"))).size).toBeGreaterThan(3);
  });
});
