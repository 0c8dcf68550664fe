/**
 * What `invalidate` and `warm` do once the server accepted their job: print its id (and how to
 * follow it), or, with `--wait`, draw its progress until it ends and report the outcome.
 */
import type { InvalidationHandle } from "@cache-sync/client";
import type { Context } from "../context.ts";
import type { ExitCode } from "../exit-codes.ts";
import { progressReporter } from "../render/progress.ts";
import { reportJob } from "./report-job.ts";

export async function followJob(
  ctx: Context,
  kind: string,
  handle: InvalidationHandle,
  wait: boolean | undefined,
): Promise<ExitCode | undefined> {
  const accepted = await handle.accepted;
  if (!wait) {
    ctx.out.result(accepted, () => accepted.id);
    ctx.out.note(`${kind} ${accepted.id} ${accepted.state}; follow it with: cache-sync status ${accepted.id} --wait`);
    return undefined;
  }
  const progress = progressReporter(kind, ctx.out.stderr);
  const final = await handle.done({ onProgress: (s) => progress.update(s) }).finally(() => progress.finish());
  return reportJob(ctx, kind, final);
}
