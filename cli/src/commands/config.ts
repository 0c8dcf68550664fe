/** `cache-sync config check <file>`: validates a CACHE_CONFIG JSON file and shows what each namespace resolves to. */
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { CliError } from "../cli-error.ts";
import { runner, type RunState } from "../command-runner.ts";
import { resolveConfig } from "../config/resolve-config.ts";
import { EXIT } from "../exit-codes.ts";
import { renderConfigReport } from "../render/config-report.ts";

export function registerConfig(program: Command, state: RunState): void {
  const config = program.command("config").description("the server's CACHE_CONFIG");
  config
    .command("check")
    .description(
      "validate a CACHE_CONFIG JSON file and print each namespace's settings with defaults applied (exit 1 naming the bad field)",
    )
    .argument("<file>", "a JSON file holding the CACHE_CONFIG value")
    .action(
      runner(state, async (ctx, command) => {
        const [file] = command.processedArgs as [string];
        const report = resolveConfig(await readJson(file));
        if (!report.valid) {
          if (ctx.out.json) ctx.out.result(report, () => "");
          const list = report.issues.map((issue) => `${issue.path}: ${issue.message}`);
          throw new CliError("INVALID_CONFIG", `${file} is not a valid CACHE_CONFIG:\n  ${list.join("\n  ")}`, EXIT.usage, {
            issues: report.issues,
          });
        }
        ctx.out.result(report, () => renderConfigReport(file, report));
      }),
    );
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new CliError("USAGE", `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, EXIT.usage);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError("INVALID_CONFIG", `${file} is not JSON: ${(error as Error).message}`, EXIT.usage);
  }
}
