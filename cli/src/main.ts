/** cache-sync's command-line entry point: parses the arguments, runs one command, exits with its code. */
import { CommanderError } from "commander";
import type { RunState } from "./command-runner.ts";
import { EXIT } from "./exit-codes.ts";
import { buildProgram } from "./program.ts";

// `cache-sync stats | head -1`: the reader left; stop quietly, as other Unix tools do.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(EXIT.ok);
  throw error;
});

const state: RunState = { exitCode: EXIT.ok };
try {
  await buildProgram(state).parseAsync(process.argv);
  process.exitCode = state.exitCode;
} catch (error) {
  // Commander has already printed its message (unknown option, missing argument, help).
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  else {
    process.stderr.write(`cache-sync: INTERNAL_ERROR: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT.internal;
  }
}
