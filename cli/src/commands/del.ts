/** `cache-sync del <key>`: deletes a key; deleting a key that is not there is not an error (exit 0, `deleted: false`). */
import type { Command } from "commander";
import { runner, type RunState } from "../command-runner.ts";

export function registerDel(program: Command, state: RunState): void {
  program
    .command("del")
    .alias("delete")
    .description("delete a key")
    .argument("<key>", "the key")
    .action(
      runner(state, async (ctx, command) => {
        const [key] = command.processedArgs as [string];
        const outcome = await ctx.client().delete(key);
        if (outcome.queued) throw new Error("the delete was queued although the offline queue is off");
        const { queued: _queued, ...result } = outcome;
        ctx.out.result(result, () => (result.deleted ? `deleted ${key}` : `${key} was not cached (nothing to delete)`));
      }),
    );
}
