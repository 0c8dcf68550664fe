/** `cache-sync invalidate --tag/--key/--prefix … [--stale] [--priority] [--wait]`: starts a job, optionally follows it. */
import type { Command } from "commander";
import { Option } from "commander";
import { usageError } from "../cli-error.ts";
import { runner, type RunState } from "../command-runner.ts";
import { followJob } from "../jobs/follow-job.ts";
import { repeatable } from "../parse/numbers.ts";

interface InvalidateFlags {
  tag?: string[];
  key?: string[];
  prefix?: string[];
  stale?: boolean;
  priority?: "low" | "normal" | "high";
  wait?: boolean;
}

export function registerInvalidate(program: Command, state: RunState): void {
  program
    .command("invalidate")
    .description("invalidate entries by tag, key or key prefix, as a job (prints its id, or follows it with --wait)")
    .option("--tag <tag>", "entries with this tag (repeatable)", repeatable)
    .option("--key <key>", "this key (repeatable)", repeatable)
    .option("--prefix <prefix>", "keys starting with this (repeatable)", repeatable)
    .option("--stale", "mark entries stale (served while they refresh) instead of removing them")
    .addOption(new Option("--priority <priority>", "job priority").choices(["low", "normal", "high"]))
    .option("--wait", "follow the job to its end: a progress bar on a terminal, progress lines otherwise; exit 5 if it fails")
    .action(
      runner(state, async (ctx, command) => {
        const flags = command.opts<InvalidateFlags>();
        if (!flags.tag && !flags.key && !flags.prefix) throw usageError("invalidate needs at least one --tag, --key or --prefix");
        const handle = await ctx.client().invalidate({
          ...(flags.tag ? { tags: flags.tag } : {}),
          ...(flags.key ? { keys: flags.key } : {}),
          ...(flags.prefix ? { prefixes: flags.prefix } : {}),
          ...(flags.stale ? { mode: "stale" as const } : {}),
          ...(flags.priority ? { priority: flags.priority } : {}),
        });
        return followJob(ctx, "invalidation", handle, flags.wait);
      }),
    );
}
