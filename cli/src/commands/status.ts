/** `cache-sync status <id> [--wait]`: an invalidation or warm job's status; exit 5 when it failed. */
import type { Command } from "commander";
import { runner, type RunState } from "../command-runner.ts";
import { reportJob } from "../jobs/report-job.ts";
import { waitForJob } from "../jobs/wait-for-job.ts";
import { progressReporter } from "../render/progress.ts";

export function registerStatus(program: Command, state: RunState): void {
  program
    .command("status")
    .description("the status of an invalidation or warm job (exit 2 for an unknown id, 5 for a failed job)")
    .argument("<id>", "the job id that invalidate or warm printed")
    .option("--wait", "follow the job to its end: a progress bar on a terminal, progress lines otherwise")
    .action(
      runner(state, async (ctx, command) => {
        const [id] = command.processedArgs as [string];
        const client = ctx.client();
        let status = await client.jobStatus(id);
        if (command.opts<{ wait?: boolean }>().wait) status = await waitForJob(client, status, progressReporter("job", ctx.out.stderr));
        return reportJob(ctx, "job", status);
      }),
    );
}
