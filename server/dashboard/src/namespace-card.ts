/** One namespace's card: the counters from `stats` and two charts over the samples so far. */
import type { NamespaceStats } from "@cache-sync/client";
import { createChart, renderChart } from "./chart.ts";
import { originCallsSaved, type StatsHistory } from "./stats-history.ts";

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;
const count = (n: number) => n.toLocaleString("en");

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** Label, and how to read it from the stats; each becomes a <dt>/<dd> pair with a data-metric name. */
const METRICS: [name: string, label: string, read: (s: NamespaceStats) => string][] = [
  ["hitRate", "Hit rate", (s) => percent(s.hitRate)],
  ["lookups", "Lookups", (s) => count(s.hits + s.misses)],
  ["originSaved", "Origin calls saved", (s) => count(originCallsSaved(s))],
  ["originFetches", "Origin calls (errors)", (s) => `${count(s.originFetches)} (${count(s.originErrors)})`],
  ["coalesced", "Coalesced waiters", (s) => count(s.coalesced)],
  ["staleServed", "Stale served", (s) => count(s.staleServed)],
  ["entries", "Memory: entries", (s) => count(s.entries)],
  ["bytes", "Memory: bytes", (s) => bytes(s.bytes)],
  ["evictions", "Evictions", (s) => count(s.evictions)],
  ["outbox", "Outbox depth (write-behind)", (s) => count(s.writeBehind.pending)],
  ["latency", "get latency p50 / p99", (s) => `${s.latencyMs.p50} / ${s.latencyMs.p99} ms`],
  ["jobs", "Jobs queued / running / done / failed", (s) => {
    const j = s.invalidations;
    return `${j.queued} / ${j.processing} / ${j.completed} / ${j.failed}`;
  }],
];

export class NamespaceCard {
  readonly element: HTMLElement;
  readonly #values = new Map<string, HTMLElement>();
  readonly #hitChart = createChart("Hit rate over time");
  readonly #rateChart = createChart("Request rate over time");
  readonly #error: HTMLElement;

  constructor(readonly namespace: string) {
    this.element = document.createElement("article");
    this.element.className = "ns";
    this.element.dataset.namespace = namespace;
    const heading = document.createElement("h3");
    heading.textContent = namespace;
    const list = document.createElement("dl");
    for (const [name, label] of METRICS) {
      const dt = document.createElement("dt");
      dt.textContent = label;
      const dd = document.createElement("dd");
      dd.dataset.metric = name;
      dd.textContent = "…";
      this.#values.set(name, dd);
      list.append(dt, dd);
    }
    this.#error = document.createElement("p");
    this.#error.className = "error";
    this.element.append(heading, this.#error, list, chartLabel("Hit rate per interval"), this.#hitChart, chartLabel("Lookups per second"), this.#rateChart);
  }

  update(history: StatsHistory): void {
    const stats = history.latest;
    if (!stats) return;
    this.#error.textContent = "";
    for (const [name, , read] of METRICS) this.#values.get(name)!.textContent = read(stats);
    renderChart(this.#hitChart, history.hitRate(), { max: 1, describe: (v) => `hit rate, latest interval ${v === null ? "no lookups" : percent(v)}` });
    renderChart(this.#rateChart, history.requestRate(), { describe: (v) => `${v === null ? 0 : v.toFixed(1)} lookups per second, latest interval` });
  }

  showError(message: string): void {
    this.#error.textContent = message;
  }
}

function chartLabel(text: string): HTMLElement {
  const p = document.createElement("p");
  p.className = "chart-label";
  p.textContent = text;
  return p;
}
