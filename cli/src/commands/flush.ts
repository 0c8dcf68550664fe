/** `cache-sync flush`: pushes pending write-behind records to the main database now (admin). */
import type { Command } from "commander";
import { runner, type RunState } from "../command-runner.ts";

export function registerFlush(program: Command, state: RunState): void {
  program
    .command("flush")
    .description("push the namespace's pending write-behind records to the main database now (admin)")
    .action(
      runner(state, async (ctx) => {
        const result = await ctx.client().flush();
        // Dead letters (records the main database refused for good) are named only when there are any.
        const dead = result.deadLetters > 0 ? `, ${result.deadLetters} dead letters (see the deadLetters procedure)` : "";
        ctx.out.result(result, () => `flushed ${result.flushed}, still pending ${result.pending}${dead}`);
      }),
    );
}
