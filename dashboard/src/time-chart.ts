/**
 * A line over time drawn with uPlot: a time axis (local clock), a y axis with the unit in its
 * tick labels and title, gaps where an interval has no value, and a tooltip on hover. The
 * container is an image for assistive technology, labelled with the latest value.
 */
import uPlot from "uplot";
import { tooltipPlugin } from "./chart-tooltip.ts";
import { clock } from "./format.ts";
import type { Point } from "./stats-history.ts";

const HEIGHT = 170;
const MIN_SPAN_S = 10;
const AXIS = {
  stroke: "#5b6475",
  font: "11px system-ui, sans-serif",
  labelFont: "11px system-ui, sans-serif",
  grid: { stroke: "#eceef2", width: 1 },
  ticks: { stroke: "#d8dce3", width: 1 },
};

export interface TimeChartOptions {
  /** The y axis' title, with its unit: "hit rate (%)". */
  axisLabel: string;
  /** The line's name in the tooltip. */
  seriesLabel: string;
  /** Tick labels and tooltip values, with the unit: 0.5 → "50 %". */
  format: (value: number) => string;
  /** A fixed top for the y axis (1 for a ratio); otherwise it fits the data. */
  max?: number;
  /** The accessible summary for the latest value. */
  describe: (latest: number | null) => string;
  color: string;
  /**
   * Mark every value with a dot: for series with gaps (a hit rate is undefined in an interval
   * without lookups), where a lone value between two gaps would otherwise not show.
   */
  dots?: boolean;
}

export class TimeChart {
  readonly element = document.createElement("div");
  readonly #plot: uPlot;
  readonly #options: TimeChartOptions;

  constructor(options: TimeChartOptions) {
    this.#options = options;
    this.element.className = "chart";
    this.element.setAttribute("role", "img");
    this.element.setAttribute("aria-label", options.describe(null));
    this.#plot = new uPlot(
      {
        width: 320,
        height: HEIGHT,
        legend: { show: false },
        cursor: { y: false, points: { size: 7 } },
        scales: {
          x: { time: true, range: (_plot, min, max) => timeRange(min, max) },
          y: { range: (_plot, _min, max) => [0, options.max ?? niceTop(max)] },
        },
        axes: [
          { ...AXIS, label: "time (local)", labelSize: 16, space: 70, values: (_plot, splits) => splits.map((s) => clock(s * 1000)) },
          { ...AXIS, label: options.axisLabel, labelSize: 16, size: 56, values: (_plot, splits) => splits.map(options.format) },
        ],
        series: [
          {},
          {
            label: options.seriesLabel,
            stroke: options.color,
            width: 2,
            fill: `${options.color}1a`,
            spanGaps: false,
            points: options.dots ? { show: true, size: 5, fill: options.color } : { size: 4 },
          },
        ],
        plugins: [tooltipPlugin(options.seriesLabel, options.format)],
      },
      [[], []],
      this.element,
    );
    // Fill the card's width, whatever it is (the grid decides), and follow it.
    new ResizeObserver(() => {
      const width = Math.floor(this.element.clientWidth);
      if (width > 0 && width !== this.#plot.width) this.#plot.setSize({ width, height: HEIGHT });
    }).observe(this.element);
  }

  update(points: Point[]): void {
    this.#plot.setData([points.map((p) => p.at / 1000), points.map((p) => p.value)]);
    const latest = [...points].reverse().find((p) => p.value !== null)?.value ?? null;
    this.element.setAttribute("aria-label", this.#options.describe(latest));
  }
}

/** Seconds since the epoch; at least MIN_SPAN_S wide, so the first two points do not fill the chart. */
function timeRange(min: number | null, max: number | null): uPlot.Range.MinMax {
  const end = max ?? Date.now() / 1000;
  return [Math.min(min ?? end, end - MIN_SPAN_S), end];
}

/** A round top a little above the largest value (at least 1), so the line never touches the edge. */
function niceTop(max: number | null): number {
  const top = Math.max(1, (max ?? 0) * 1.15);
  const magnitude = 10 ** Math.floor(Math.log10(top));
  return Math.ceil(top / magnitude) * magnitude;
}
