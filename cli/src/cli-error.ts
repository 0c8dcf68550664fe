/** Errors the CLI itself raises (bad arguments, unreadable files), each with its exit code. */
import { EXIT, type ExitCode } from "./exit-codes.ts";

/** A problem one line can explain; rendered like a CacheError (`code: message`) on stderr. */
export class CliError extends Error {
  override readonly name = "CliError";

  constructor(
    /** A stable, upper-case code scripts may match on (e.g. `USAGE`, `NOT_FOUND`, `INVALID_CONFIG`). */
    readonly code: string,
    message: string,
    readonly exitCode: ExitCode = EXIT.usage,
    /** Extra machine-readable context for `--json` (e.g. the config's issues). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError("USAGE", message, EXIT.usage);
