/** `cache-sync set <key> <json-value>`: writes a key; the value is JSON, or `-` to read it from stdin. */
import type { Command } from "commander";
import { runner, type RunState } from "../command-runner.ts";
import { readJsonValue } from "../parse/json-value.ts";
import { repeatable, wholeNumber } from "../parse/numbers.ts";
import { isoTime } from "../render/time.ts";

interface SetFlags {
  ttlMs?: number;
  staleMs?: number;
  tag?: string[];
}

export function registerSet(program: Command, state: RunState): void {
  program
    .command("set")
    .description("write a key: the value is JSON (quote strings: '\"text\"'), or - to read it from stdin")
    .argument("<key>", "the key")
    .argument("<json-value>", "the value as JSON, or - for stdin")
    .option("--ttl-ms <ms>", "how long the entry is fresh (default: the namespace's freshMs)", wholeNumber)
    .option("--stale-ms <ms>", "how long after that it may be served stale (default: the namespace's staleMs)", wholeNumber)
    .option("--tag <tag>", "tag the entry (repeat for more)", repeatable)
    .action(
      runner(state, async (ctx, command) => {
        const [key, raw] = command.processedArgs as [string, string];
        const flags = command.opts<SetFlags>();
        const value = await readJsonValue(raw);
        const outcome = await ctx.client().set(key, value as never, {
          ...(flags.ttlMs !== undefined ? { ttlMs: flags.ttlMs } : {}),
          ...(flags.staleMs !== undefined ? { staleMs: flags.staleMs } : {}),
          ...(flags.tag ? { tags: flags.tag } : {}),
        });
        // The client runs without an offline queue, so an outcome is always applied.
        if (outcome.queued) throw new Error("the write was queued although the offline queue is off");
        const { queued: _queued, ...result } = outcome;
        ctx.out.result(
          result,
          () =>
            `set ${key}: version ${result.version}, fresh until ${isoTime(result.freshUntil)}, stale until ${isoTime(result.staleUntil)}`,
        );
      }),
    );
}
