/** A dependency-free SVG line chart: one polyline, gaps where a point has no value. */
import type { Point } from "./stats-history.ts";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 300;
const HEIGHT = 80;

export interface ChartOptions {
  /** The y value at the top; by default the largest value (at least 1). */
  max?: number;
  /** The accessible summary, e.g. "hit rate, last 42 %". */
  describe: (latest: number | null) => string;
}

export function createChart(label: string): SVGSVGElement {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("class", "chart");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  return svg;
}

export function renderChart(svg: SVGSVGElement, points: Point[], options: ChartOptions): void {
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  const max = options.max ?? Math.max(1, ...values);
  const step = points.length > 1 ? WIDTH / (points.length - 1) : WIDTH;
  const lines: string[][] = [[]];
  points.forEach((point, i) => {
    if (point.value === null) {
      if (lines.at(-1)!.length > 0) lines.push([]);
      return;
    }
    const y = HEIGHT - (Math.min(point.value, max) / max) * (HEIGHT - 4) - 2;
    lines.at(-1)!.push(`${(i * step).toFixed(1)},${y.toFixed(1)}`);
  });
  svg.replaceChildren(
    ...lines
      .filter((line) => line.length > 0)
      .map((line) => {
        const polyline = document.createElementNS(SVG, "polyline");
        // A single point still shows, as a short flat line.
        polyline.setAttribute("points", line.length === 1 ? `${line[0]} ${line[0]!.replace(/^[^,]+/, (x) => String(Number(x) + 2))}` : line.join(" "));
        return polyline;
      }),
  );
  const latest = [...points].reverse().find((p) => p.value !== null)?.value ?? null;
  const title = document.createElementNS(SVG, "title");
  title.textContent = options.describe(latest);
  svg.prepend(title);
}
