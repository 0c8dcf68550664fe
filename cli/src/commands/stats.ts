/**
 * `cache-sync stats [--watch [seconds]]`: the namespace's counters as a table. With --watch the
 * table is redrawn in place on a terminal, printed again otherwise, and with --json each refresh is
 * one JSON line (NDJSON). Ctrl-C ends a watch with exit 0; errors that may pass are shown and the
 * watch goes on.
 */
import { isCacheError, type NamespaceStats } from "@cache-sync/client";
import type { Command } from "commander";
import { runner, type RunState } from "../command-runner.ts";
import type { Context } from "../context.ts";
import { EXIT } from "../exit-codes.ts";
import { positiveSeconds } from "../parse/numbers.ts";
import { statsRows } from "../render/stats-rows.ts";
import { renderTable } from "../render/table.ts";

const DEFAULT_WATCH_SECONDS = 2;

export function registerStats(program: Command, state: RunState): void {
  program
    .command("stats")
    .description("the namespace's counters (hits, misses, latency, write-behind, jobs) as a table")
    .option("--watch [seconds]", `refresh every few seconds (default: ${DEFAULT_WATCH_SECONDS}) until Ctrl-C`, positiveSeconds)
    .action(
      runner(state, async (ctx, command) => {
        const { watch } = command.opts<{ watch?: number | true }>();
        const table = (stats: NamespaceStats) => renderTable(["metric", "value"], statsRows(stats));
        if (watch === undefined) {
          const stats = await ctx.client().stats();
          ctx.out.result(stats, () => table(stats));
          return;
        }
        await watchStats(ctx, watch === true ? DEFAULT_WATCH_SECONDS : watch, table);
        return EXIT.ok;
      }),
    );
}

async function watchStats(ctx: Context, seconds: number, table: (stats: NamespaceStats) => string): Promise<void> {
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  process.once("SIGINT", onInterrupt);
  process.once("SIGTERM", onInterrupt);
  // Redraw in place only when a person is looking at the table on a terminal.
  const redraw = !ctx.out.json && ctx.out.stdout.isTTY === true;
  try {
    while (!stop.signal.aborted) {
      try {
        const stats = await ctx.client().stats({ signal: stop.signal });
        // ECMA-48: "CSI H" moves home and "CSI 2 J" clears the screen before the redraw.
        if (redraw) ctx.out.stdout.write("\x1b[H\x1b[2J");
        ctx.out.result(
          stats,
          () => `${table(stats)}\n\nevery ${seconds} s, ${new Date().toISOString()}${redraw ? " (Ctrl-C to stop)" : ""}\n`,
        );
      } catch (error) {
        if (stop.signal.aborted) break;
        // A blip (network, 429, 5xx) should not end a dashboard; a wrong token or namespace should.
        if (!isCacheError(error) || !error.retryable) throw error;
        ctx.out.error(error);
      }
      await sleep(seconds * 1000, stop.signal);
    }
  } finally {
    process.off("SIGINT", onInterrupt);
    process.off("SIGTERM", onInterrupt);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
