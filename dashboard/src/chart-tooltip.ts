/**
 * A uPlot plugin: a small box at the hovered point with its time and value, so a reader gets the
 * exact number behind a line without reading it off the axis.
 */
import type uPlot from "uplot";
import { clock } from "./format.ts";

export function tooltipPlugin(seriesLabel: string, format: (value: number) => string): uPlot.Plugin {
  const box = document.createElement("div");
  box.className = "chart-tooltip";
  box.hidden = true;
  return {
    hooks: {
      init: (plot) => {
        plot.over.append(box);
      },
      setCursor: (plot) => {
        const idx = plot.cursor.idx;
        const at = idx == null ? undefined : plot.data[0][idx];
        const value = idx == null ? undefined : plot.data[1]?.[idx];
        if (at == null || value == null) {
          box.hidden = true;
          return;
        }
        box.textContent = `${clock(at * 1000)} · ${seriesLabel}: ${format(value)}`;
        const left = plot.valToPos(at, "x");
        box.style.left = `${left}px`;
        box.style.top = `${plot.valToPos(value, "y")}px`;
        // Beside the point, on whichever side has room.
        box.dataset.side = left > plot.over.clientWidth / 2 ? "left" : "right";
        box.hidden = false;
      },
    },
  };
}
