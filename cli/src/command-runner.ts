/** Glue between commander and the commands: builds the context, renders what a command throws, keeps its exit code. */
import type { Command } from "commander";
import { contextOf, type Context } from "./context.ts";
import { EXIT, type ExitCode } from "./exit-codes.ts";

/** A command's body: resolves to its exit code (nothing means 0), or throws a CacheError/CliError. */
export type CommandBody = (ctx: Context, command: Command) => Promise<ExitCode | void>;

/** Holds the exit code of the command that ran, for `main` to hand to the process. */
export interface RunState {
  exitCode: ExitCode;
}

/** An action handler for commander: the last argument commander passes is always the command itself. */
export function runner(state: RunState, body: CommandBody) {
  return async (...args: unknown[]): Promise<void> => {
    const command = args[args.length - 1] as Command;
    const ctx = contextOf(command);
    try {
      state.exitCode = (await body(ctx, command)) ?? EXIT.ok;
    } catch (error) {
      state.exitCode = ctx.out.error(error);
    }
  };
}
