/** One namespace's card: its settings, the counters from `stats` and two charts over the samples so far. */
import type { NamespaceStats, Procedures } from "@cache-sync/client";
import { bytes, count, percent, rate } from "./format.ts";
import { settingsSummary } from "./namespace-picker.ts";
import { originCallsSaved, type StatsHistory } from "./stats-history.ts";
import { TimeChart } from "./time-chart.ts";

export type NamespaceSummary = Procedures["namespaces"]["output"]["namespaces"][number];

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
  [
    "jobs",
    "Jobs queued / running / done / failed",
    (s) => {
      const j = s.invalidations;
      return `${j.queued} / ${j.processing} / ${j.completed} / ${j.failed}`;
    },
  ],
];

export class NamespaceCard {
  readonly element = document.createElement("article");
  readonly #values = new Map<string, HTMLElement>();
  readonly #error = document.createElement("p");
  readonly #hitChart = new TimeChart({
    axisLabel: "hit rate (%)",
    seriesLabel: "hit rate",
    format: (v) => percent(v, 0),
    max: 1,
    describe: (v) => `Hit rate per interval; latest ${v === null ? "no lookups" : percent(v)}`,
    color: "#1a7f4b",
    dots: true,
  });
  readonly #rateChart = new TimeChart({
    axisLabel: "lookups per second",
    seriesLabel: "lookups",
    format: (v) => `${rate(v)}/s`,
    describe: (v) => `Lookups per second; latest ${v === null ? "none" : `${rate(v)} per second`}`,
    color: "#2463eb",
  });

  constructor(readonly namespace: NamespaceSummary) {
    this.element.className = "ns";
    this.element.dataset.namespace = namespace.name;
    const heading = document.createElement("h3");
    heading.textContent = namespace.name;
    const settings = document.createElement("p");
    settings.className = "muted";
    settings.textContent = settingsSummary(namespace);
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
    this.#error.className = "error";
    this.element.append(
      heading,
      settings,
      this.#error,
      list,
      chartLabel("Hit rate per interval"),
      this.#hitChart.element,
      chartLabel("Lookups per second"),
      this.#rateChart.element,
    );
  }

  update(history: StatsHistory): void {
    const stats = history.latest;
    if (!stats) return;
    this.#error.textContent = "";
    for (const [name, , read] of METRICS) this.#values.get(name)!.textContent = read(stats);
    this.#hitChart.update(history.hitRate());
    this.#rateChart.update(history.requestRate());
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
