/**
 * Issue 18: the capacity model, fed the per-object throughput that one bench run measured (the DO
 * floor in bench/baseline.json), predicts that run's hot-key and herd figures within ±35 %.
 * bench/baseline.json is a committed copy of one full `npm run bench` (bench/results.json is
 * git-ignored); replace it with a newer full run's results.json to re-check the model.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { benchFigures, compareWithBench } from "../src/simulate/bench-prediction.ts";

const BASELINE = new URL("../baseline.json", import.meta.url);
const TOLERANCE = 0.35;

describe("the capacity model against bench/baseline.json", () => {
  const baseline: unknown = JSON.parse(readFileSync(BASELINE, "utf8"));
  const comparisons = compareWithBench(baseline);

  it("predicts the hot key's throughput, with and without the micro-cache, and the herd's p50 and p99", () => {
    expect(comparisons.map((c) => `${c.scenario}: ${c.figure}`)).toEqual([
      "hot-key hits: rps10",
      "hot-key hits: microRps10",
      "thundering herd: p50",
      "thundering herd: p99",
    ]);
  });

  for (const figure of ["rps10", "microRps10", "p50", "p99"]) {
    it(`predicts ${figure} within ±${TOLERANCE * 100} %`, () => {
      const c = comparisons.find((x) => x.figure === figure)!;
      const ratio = c.predicted / c.measured;
      expect(
        Math.abs(ratio - 1),
        `${c.scenario} ${c.figure}: model ${c.predicted.toFixed(1)} ${c.unit} vs measured ${c.measured.toFixed(1)} ${c.unit} (×${ratio.toFixed(2)}; fed ${c.basis})`,
      ).toBeLessThanOrEqual(TOLERANCE);
    });
  }

  it("names the scenario and the figure when a run lacks one", () => {
    const partial = { scenarios: [{ scenario: "thundering herd (1,000 readers)", figures: { readers: 1_000, p50: 10 } }] };
    expect(() => benchFigures(partial, "thundering herd", ["readers", "p99"])).toThrow(
      /scenario "thundering herd \(1,000 readers\)" has no numeric figure "p99"/,
    );
    expect(() => benchFigures(partial, "hot-key hits", ["rps10"])).toThrow(/no scenario "hot-key hits…"/);
    expect(() => benchFigures({}, "hot-key hits", ["rps10"])).toThrow(/no scenarios\[\]/);
  });
});
