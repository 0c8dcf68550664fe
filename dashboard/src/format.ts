/** How the dashboard writes numbers, sizes and times, in one place so cards, charts and jobs agree. */
export const percent = (ratio: number, digits = 1) => `${(ratio * 100).toFixed(digits)} %`;
export const count = (n: number) => n.toLocaleString("en");

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** A rate with as many decimals as it needs to be readable: 0.25, 2.5, 25. */
export function rate(perSecond: number): string {
  if (perSecond === 0) return "0";
  return perSecond >= 10 ? perSecond.toFixed(0) : perSecond >= 1 ? perSecond.toFixed(1) : perSecond.toFixed(2);
}

/** Local wall-clock time, 24-hour, seconds included: "15:40:12". */
export function clock(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString("en-GB", { hour12: false });
}

/** "1.2 s", "340 ms". */
export function duration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
