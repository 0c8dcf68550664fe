/** `npm run simulate -- …` options: names, defaults, bounds, and the help text made from them. */
import { parseArgs } from "node:util";
import { PLATFORM, PROJECT } from "./platform-limits.ts";

interface NumberOption {
  default: number | undefined;
  min: number;
  max: number;
  integer?: boolean;
  help: string;
}

const OPTIONS = {
  rate: { default: 1e6, min: 1, max: 1e10, help: "reads/s across the namespace" },
  keys: { default: 1e8, min: 1, max: 1e12, help: "distinct keys" },
  zipf: { default: 1.0, min: 0, max: 4, help: "Zipf exponent s of key popularity (P(rank k) ∝ k^-s)" },
  colos: { default: 0, min: 0, max: 10_000, integer: true, help: "colos with a colo tier in front of the Worker (0: no colo tier)" },
  "shared-max-age": { default: 60, min: 0, max: 86_400, help: "seconds a colo serves a key before one revalidation (sharedMaxAge)" },
  "micro-cache-ms": { default: 0, min: 0, max: 60_000, help: "isolate micro-cache maxAgeMs (hotCache; 0: off, the default)" },
  isolates: { default: 6_000, min: 1, max: 1e7, integer: true, help: "isolates holding a micro-cache, all colos together (assumed)" },
  "object-rps": { default: PLATFORM.objectRequestsPerSecond, min: 1, max: 1e6, help: "requests/s one Durable Object completes" },
  utilisation: { default: 0.7, min: 0.05, max: 0.99, help: "highest utilisation planned for the hottest object" },
  "value-bytes": { default: 1_024, min: 1, max: 25 * 1024 * 1024, help: "mean stored value size" },
  "max-shards": {
    default: PROJECT.maxShards,
    min: 1,
    max: 1e6,
    integer: true,
    help: "most shards to recommend (a namespace allows 1,024)",
  },
  shards: { default: undefined, min: 1, max: 1e6, integer: true, help: "evaluate this shard count (default: the recommendation)" },
  writes: { default: 0, min: 0, max: 1e9, help: "write-behind writes/s (same popularity as reads)" },
  "flush-interval-ms": { default: PROJECT.flushIntervalMs, min: 100, max: 3_600_000, help: "writeBehind.flushIntervalMs" },
  "d1-row-ms": { default: 1, min: 0.01, max: 1_000, help: "D1 time per upserted row (assumed; D1 runs one query at a time)" },
  concurrency: { default: PROJECT.invalidationConcurrency, min: 1, max: 64, integer: true, help: "invalidation.concurrency" },
  "tagged-keys": { default: 10_000, min: 0, max: 1e9, help: "keys carrying the invalidated tag" },
  "fanout-rtt-ms": { default: 50, min: 0, max: 10_000, help: "coordinator → shard round trip (assumed)" },
  "purge-ms-per-key": { default: 0.09, min: 0, max: 1_000, help: "shard time to purge one key (bench: invalidation scenario)" },
  "storage-fill": { default: 0.5, min: 0.01, max: 1, help: "share of an object's 10 GB storage to plan for" },
  "lifetime-ms": { default: PROJECT.entryLifetimeMs, min: 1, max: 1e10, help: "freshMs + staleMs: how long an unread entry is kept" },
  seed: { default: 1, min: 0, max: 2 ** 31, integer: true, help: "random seed (runs are repeatable)" },
  arrivals: { default: 200_000, min: 1_000, max: 1e7, integer: true, help: "arrivals simulated in the hottest object's queue" },
} satisfies Record<string, NumberOption>;

export type SimulateOptions = {
  [K in keyof typeof OPTIONS]: (typeof OPTIONS)[K]["default"] extends undefined ? number | undefined : number;
} & {
  checkBench: boolean;
  baseline: string | undefined;
  help: boolean;
};

/** Thrown for a bad command line: main prints the message and the usage, without a stack trace. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export function parseSimulateArgs(argv: string[]): SimulateOptions {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(Object.keys(OPTIONS).map((name) => [name, { type: "string" as const }])),
        "check-bench": { type: "boolean" },
        baseline: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const options: Record<string, number | boolean | string | undefined> = {
    checkBench: values["check-bench"] === true,
    baseline: values.baseline as string | undefined,
    help: values.help === true,
  };
  for (const [name, spec] of Object.entries(OPTIONS) as [string, NumberOption][]) {
    const raw = values[name];
    options[name] = raw === undefined ? spec.default : parseNumber(name, raw as string, spec);
  }
  return options as SimulateOptions;
}

function parseNumber(name: string, raw: string, spec: NumberOption): number {
  const value = Number(raw.replaceAll("_", ""));
  if (raw.trim() === "" || !Number.isFinite(value)) throw new UsageError(`--${name}: "${raw}" is not a number`);
  if (value < spec.min || value > spec.max) throw new UsageError(`--${name}: ${raw} is outside ${spec.min}..${spec.max}`);
  if (spec.integer && !Number.isInteger(value)) throw new UsageError(`--${name}: ${raw} must be a whole number`);
  return value;
}

export function usage(): string {
  const lines = Object.entries(OPTIONS as Record<string, NumberOption>).map(
    ([name, spec]) => `  --${name.padEnd(18)} ${spec.help}${spec.default === undefined ? "" : ` (default ${spec.default})`}`,
  );
  return [
    "npm run simulate -- [options]   the capacity model played forward (docs/capacity.md)",
    ...lines,
    `  --${"check-bench".padEnd(18)} compare the model with a bench run instead (bench/baseline.json, or --baseline FILE)`,
  ].join("\n");
}
