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
        ctx.out.result(result, () => `flushed ${result.flushed}, still pending ${result.pending}`);
      }),
    );
}
