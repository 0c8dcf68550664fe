/** What a scenario gets to work with and what it reports. */
import type { BenchEnvironment } from "./environment.ts";
import type { BenchSettings } from "./settings.ts";

export interface ScenarioContext {
  env: BenchEnvironment;
  settings: BenchSettings;
  log: (line: string) => void;
}

/** One line of the printed table. */
export interface Row {
  figure: string;
  value: string;
  /** The same-run baseline it is compared with, if any. */
  baseline?: string;
  /** The goal, and whether this run met it. */
  target?: string;
  met?: boolean;
}

export interface ScenarioResult {
  scenario: string;
  status: "ok" | "not available" | "failed";
  /** Why the scenario is not available or failed. */
  reason?: string;
  /** Every figure, flat and numeric (medians of the runs), for results.json and the harness test. */
  figures: Record<string, number>;
  /** Each run's own numbers. */
  runs: unknown[];
  rows: Row[];
}

export function failed(scenario: string, error: unknown): ScenarioResult {
  return { scenario, status: "failed", reason: error instanceof Error ? error.message : String(error), figures: {}, runs: [], rows: [] };
}

/** Display helpers for the table. */
export const fmt = {
  ms: (value: number) => `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value).toLocaleString("en-US")} ms`,
  rps: (value: number) => `${Math.round(value).toLocaleString("en-US")} req/s`,
  int: (value: number) => Math.round(value).toLocaleString("en-US"),
  pct: (ratio: number) => `${(ratio * 100).toFixed(1)} %`,
  times: (ratio: number) => `${ratio.toFixed(2)}×`,
};
