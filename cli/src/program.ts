/** The `cache-sync` program: global options (flag or CACHE_SYNC_* env) and every command. */
import { Command, Option } from "commander";
import packageJson from "../package.json" with { type: "json" };
import type { RunState } from "./command-runner.ts";
import { registerConfig } from "./commands/config.ts";
import { registerDel } from "./commands/del.ts";
import { registerFlush } from "./commands/flush.ts";
import { registerGet } from "./commands/get.ts";
import { registerInvalidate } from "./commands/invalidate.ts";
import { registerSet } from "./commands/set.ts";
import { registerStats } from "./commands/stats.ts";
import { registerStatus } from "./commands/status.ts";
import { registerToken } from "./commands/token.ts";
import { registerWarm } from "./commands/warm.ts";
import { wholeNumber } from "./parse/numbers.ts";

export function buildProgram(state: RunState): Command {
  const program = new Command("cache-sync")
    .description("Read, write and invalidate a cache-sync edge cache; follow jobs, watch stats, mint tokens, check configs.")
    .version(packageJson.version)
    .addOption(new Option("--url <url>", "the cache server's base URL, e.g. https://cache.example.com").env("CACHE_SYNC_URL"))
    // The env var is the safer way: a flag is visible to every user of the machine in `ps`.
    .addOption(new Option("--token <token>", "bearer token (prefer the env var)").env("CACHE_SYNC_TOKEN"))
    .addOption(new Option("--namespace <name>", 'namespace to work in (default: "default")').env("CACHE_SYNC_NAMESPACE"))
    .option("--json", "machine-readable output: JSON on stdout and nothing else there; errors as JSON on stderr")
    .addOption(new Option("--timeout-ms <ms>", "time limit of each request to the server (default: 10000)").argParser(wholeNumber))
    .exitOverride()
    // `cache-sync get --help` lists --url, --token, --json … too.
    .configureHelp({ showGlobalOptions: true })
    .showSuggestionAfterError();
  for (const register of [
    registerGet,
    registerSet,
    registerDel,
    registerInvalidate,
    registerStatus,
    registerWarm,
    registerStats,
    registerFlush,
    registerToken,
    registerConfig,
  ]) {
    register(program, state);
  }
  program.addHelpText(
    "after",
    "\nExit codes: 0 ok, 1 usage or invalid input, 2 not found, 3 auth, 4 server or network, 5 job failed, 70 internal error, 130 interrupted.",
  );
  return program;
}
