/**
 * `cache-sync token create --id --scopes --namespaces`: mints a bearer token. The raw token is
 * printed once and kept nowhere; the server is configured with the `CACHE_TOKENS` entry, which
 * holds only its SHA-256 (as server/src/auth/tokens.ts compares them).
 */
import { createHash, randomBytes } from "node:crypto";
import { tokenConfig } from "@cache-sync/contracts";
import type { Command } from "commander";
import { CliError } from "../cli-error.ts";
import { runner, type RunState } from "../command-runner.ts";
import { EXIT } from "../exit-codes.ts";
import { commaList } from "../parse/numbers.ts";
import { issuePaths } from "../render/issues.ts";

/** A recognisable prefix, so secret scanners and people can tell a cache-sync token at a glance. */
const TOKEN_PREFIX = "cs_";
const TOKEN_BYTES = 32;

interface TokenFlags {
  id: string;
  scopes: string[];
  namespaces: string[];
}

export function registerToken(program: Command, state: RunState): void {
  const token = program.command("token").description("bearer tokens for CACHE_TOKENS");
  token
    .command("create")
    .description("mint a token: prints the raw token once and its CACHE_TOKENS entry (the entry holds only the hash)")
    .requiredOption("--id <id>", "a name for the token (shown in the server's logs instead of the token)")
    .requiredOption("--scopes <scopes>", "comma-separated: read, write, invalidate, admin", commaList)
    .requiredOption("--namespaces <namespaces>", "comma-separated namespaces, or '*' for all (quote it in a shell)", commaList)
    .action(
      runner(state, async (ctx, command) => {
        const flags = command.opts<TokenFlags>();
        const raw = `${TOKEN_PREFIX}${randomBytes(TOKEN_BYTES).toString("base64url")}`;
        const parsed = tokenConfig.safeParse({
          id: flags.id,
          sha256: createHash("sha256").update(raw).digest("hex"),
          scopes: flags.scopes,
          namespaces: flags.namespaces,
        });
        if (!parsed.success) {
          const issues = issuePaths(parsed.error.issues);
          throw new CliError(
            "USAGE",
            `the token entry is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
            EXIT.usage,
            { issues },
          );
        }
        const entry = parsed.data;
        ctx.out.result({ token: raw, entry }, () =>
          [
            `token (shown once, store it now; the server keeps only its hash):`,
            `  ${raw}`,
            ``,
            `CACHE_TOKENS entry (add it to the JSON array of the server's CACHE_TOKENS secret):`,
            `  ${JSON.stringify(entry)}`,
          ].join("\n"),
        );
      }),
    );
}
