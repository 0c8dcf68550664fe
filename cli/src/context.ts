/** What every command gets: the global options (flags or CACHE_SYNC_* env), the output, and a client on demand. */
import { createCacheClient, type CacheClient } from "@cache-sync/client";
import type { Command } from "commander";
import { usageError } from "./cli-error.ts";
import { createOutput, type Output } from "./output.ts";

/** The program-wide options; commander fills them from the flags, else from the environment. */
export interface GlobalOptions {
  url?: string;
  token?: string;
  namespace?: string;
  json?: boolean;
  timeoutMs?: number;
}

export interface Context {
  readonly globals: GlobalOptions;
  readonly out: Output;
  /** The namespace calls go to (for messages): `--namespace`, else `default`. */
  readonly namespace: string;
  /** An SDK client for `--url` with `--token`; fails with a usage error when there is no URL. */
  client(): CacheClient;
}

export function contextOf(command: Command): Context {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const out = createOutput({ json: globals.json === true, secrets: globals.token ? [globals.token] : [] });
  let client: CacheClient | undefined;
  return {
    globals,
    out,
    namespace: globals.namespace ?? "default",
    client() {
      if (!globals.url) throw usageError("no server URL: pass --url <url> or set CACHE_SYNC_URL");
      client ??= createCacheClient({
        url: globals.url,
        ...(globals.token ? { token: globals.token } : {}),
        ...(globals.namespace ? { namespace: globals.namespace } : {}),
        ...(globals.timeoutMs ? { timeoutMs: globals.timeoutMs } : {}),
        // A command runs once: a write that cannot reach the server must fail now (exit 4), not
        // wait in a queue that dies with the process.
        offlineQueue: false,
        network: null,
      });
      return client;
    },
  };
}
