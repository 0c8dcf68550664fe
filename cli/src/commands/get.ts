/** `cache-sync get <key>`: the value on stdout (the whole GetResult with --json); exit 2 when not found. */
import type { Command } from "commander";
import { CliError } from "../cli-error.ts";
import { runner, type RunState } from "../command-runner.ts";
import { EXIT } from "../exit-codes.ts";
import { wholeNumber } from "../parse/numbers.ts";

export function registerGet(program: Command, state: RunState): void {
  program
    .command("get")
    .description("read a key (through the namespace's origin when it has one)")
    .argument("<key>", "the key")
    .option("--max-stale-ms <ms>", "refuse a stale value older than this past its freshness", wholeNumber)
    .action(
      runner(state, async (ctx, command) => {
        const [key] = command.processedArgs as [string];
        const { maxStaleMs } = command.opts<{ maxStaleMs?: number }>();
        const { pending: _pending, ...result } = await ctx.client().get(key, maxStaleMs === undefined ? {} : { maxStaleMs });
        if (!result.found) {
          // With --json the answer is still the document on stdout; the exit code says "not found".
          if (ctx.out.json) ctx.out.result(result, () => "");
          throw new CliError("NOT_FOUND", `key ${JSON.stringify(key)} is not in namespace "${ctx.namespace}"`, EXIT.notFound);
        }
        ctx.out.result(result, () => JSON.stringify(result.value, null, 2));
      }),
    );
}
