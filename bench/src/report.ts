/** The printed table (Markdown, so the README can hold it as is) and results.json. */
import { cpus, totalmem } from "node:os";
import { readFileSync } from "node:fs";
import type { ScenarioResult } from "./scenario.ts";
import type { BenchSettings } from "./settings.ts";

export interface BenchResults {
  date: string;
  mode: BenchSettings["mode"];
  /** The scenario groups that ran. */
  only: string[];
  durationSeconds: number;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string; wrangler: string };
  settings: BenchSettings;
  scenarios: ScenarioResult[];
  table: string;
}

export function machine(): BenchResults["machine"] {
  const wrangler = JSON.parse(readFileSync(new URL("../../node_modules/wrangler/package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    wrangler: wrangler.version,
  };
}

export function renderTable(scenarios: readonly ScenarioResult[]): string {
  const lines = ["| scenario | figure | value | same-run baseline | target | met |", "| --- | --- | --- | --- | --- | --- |"];
  for (const result of scenarios) {
    if (result.status !== "ok") {
      lines.push(`| ${result.scenario} | — | ${result.status} | ${escapeCell(result.reason ?? "")} | | |`);
      continue;
    }
    result.rows.forEach((row, index) => {
      const met = row.met === undefined ? "" : row.met ? "yes" : "**no**";
      lines.push(
        `| ${index === 0 ? result.scenario : ""} | ${row.figure} | ${row.value} | ${escapeCell(row.baseline ?? "")} | ${escapeCell(row.target ?? "")} | ${met} |`,
      );
    });
  }
  return lines.join("\n");
}

function escapeCell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}
