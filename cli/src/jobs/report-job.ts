/** The end of every job command: the status as the result, and exit 5 (with the reasons on stderr) when it failed. */
import type { InvalidationStatus } from "@cache-sync/client";
import { CliError } from "../cli-error.ts";
import type { Context } from "../context.ts";
import { EXIT, type ExitCode } from "../exit-codes.ts";
import { progressLine } from "../render/progress.ts";

export function reportJob(ctx: Context, kind: string, status: InvalidationStatus): ExitCode {
  ctx.out.result(status, () => [progressLine(kind, status), ...status.errors.map((error) => `  error: ${error}`)].join("\n"));
  if (status.state !== "failed") return EXIT.ok;
  const reasons = status.errors.join("; ") || "no reason given";
  return ctx.out.error(new CliError("JOB_FAILED", `${kind} ${status.id} failed: ${reasons}`, EXIT.jobFailed));
}
