/**
 * `stats` as table rows: the contract's fields in a reading order with units, then any field this
 * build does not know yet (servers add counters), flattened and labelled from its field path, so
 * nothing the server sent is hidden.
 */
import type { NamespaceStats } from "@cache-sync/client";
import { isoTime } from "./time.ts";

type Row = [string, string];

const count = (n: number) => n.toLocaleString("en-US");
const ms = (n: number) => `${Number(n.toFixed(2))} ms`;

function bytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB"];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} B` : `${value.toFixed(1)} ${units[unit]} (${count(n)} B)`;
}

export function statsRows(stats: NamespaceStats): Row[] {
  const known: Row[] = [
    ["namespace", stats.namespace],
    ["shards", count(stats.shards)],
    ["entries", count(stats.entries)],
    ["bytes", bytes(stats.bytes)],
    ["hits", count(stats.hits)],
    ["misses", count(stats.misses)],
    ["stale served", count(stats.staleServed)],
    ["hit rate", `${(stats.hitRate * 100).toFixed(1)} %`],
    ["origin fetches", count(stats.originFetches)],
    ["origin errors", count(stats.originErrors)],
    ["coalesced", count(stats.coalesced)],
    ["evictions", count(stats.evictions)],
    ["get latency p50", ms(stats.latencyMs.p50)],
    ["get latency p99", ms(stats.latencyMs.p99)],
    ["write-behind pending", count(stats.writeBehind.pending)],
    ["write-behind flushed", count(stats.writeBehind.flushed)],
    ["write-behind failed attempts", count(stats.writeBehind.failedAttempts)],
    ["write-behind last flush", isoTime(stats.writeBehind.lastFlushAt)],
    ["invalidations queued", count(stats.invalidations.queued)],
    ["invalidations processing", count(stats.invalidations.processing)],
    ["invalidations completed", count(stats.invalidations.completed)],
    ["invalidations failed", count(stats.invalidations.failed)],
  ];
  const shown = new Set([
    "namespace",
    "shards",
    "entries",
    "bytes",
    "hits",
    "misses",
    "staleServed",
    "hitRate",
    "originFetches",
    "originErrors",
    "coalesced",
    "evictions",
    "latencyMs.p50",
    "latencyMs.p99",
    "writeBehind.pending",
    "writeBehind.flushed",
    "writeBehind.failedAttempts",
    "writeBehind.lastFlushAt",
    "invalidations.queued",
    "invalidations.processing",
    "invalidations.completed",
    "invalidations.failed",
  ]);
  const extra = flatten(stats as unknown as Record<string, unknown>).filter(([path]) => !shown.has(path));
  return [...known, ...extra.map(([path, value]): Row => [label(path), typeof value === "number" ? count(value) : JSON.stringify(value)])];
}

/** `earlyRefreshes` → `early refreshes`, `writeBehind.retries` → `write behind retries`, like the rows above. */
function label(path: string): string {
  return path
    .replace(/\./g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase();
}

function flatten(object: Record<string, unknown>, prefix = ""): [string, unknown][] {
  return Object.entries(object).flatMap(([name, value]): [string, unknown][] =>
    value !== null && typeof value === "object" && !Array.isArray(value)
      ? flatten(value as Record<string, unknown>, `${prefix}${name}.`)
      : [[`${prefix}${name}`, value]],
  );
}
