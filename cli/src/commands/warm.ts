/** `cache-sync warm --key/--tag … [--wait]`: loads keys from the origin into the cache as a job (admin). */
import type { Command } from "commander";
import { usageError } from "../cli-error.ts";
import { runner, type RunState } from "../command-runner.ts";
import { followJob } from "../jobs/follow-job.ts";
import { repeatable } from "../parse/numbers.ts";

interface WarmFlags {
  key?: string[];
  tag?: string[];
  wait?: boolean;
}

export function registerWarm(program: Command, state: RunState): void {
  program
    .command("warm")
    .description("load keys from the namespace's origin into the cache, as a job (admin)")
    .option("--key <key>", "a key to load (repeatable)", repeatable)
    .option("--tag <tag>", "reload every key seen with this tag (repeatable)", repeatable)
    .option("--wait", "follow the job to its end; exit 5 if it fails")
    .action(
      runner(state, async (ctx, command) => {
        const flags = command.opts<WarmFlags>();
        if (!flags.key && !flags.tag) throw usageError("warm needs at least one --key or --tag");
        const handle = await ctx.client().warm({ ...(flags.key ? { keys: flags.key } : {}), ...(flags.tag ? { tags: flags.tag } : {}) });
        return followJob(ctx, "warm", handle, flags.wait);
      }),
    );
}
