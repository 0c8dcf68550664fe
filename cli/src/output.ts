/**
 * Where everything goes: results on stdout (one JSON document per result with `--json`, else
 * text), errors and progress on stderr. With `--json` stdout carries nothing but JSON.
 */
import { isCacheError } from "@cache-sync/client";
import { CliError } from "./cli-error.ts";
import { exitCodeFor, EXIT, type ExitCode } from "./exit-codes.ts";

export interface Output {
  readonly json: boolean;
  /** A command's result: `value` as one line of JSON with `--json`, else the text. */
  result(value: unknown, text: () => string): void;
  /** A note for people (text mode only); never on stdout. */
  note(text: string): void;
  /** Renders an error on stderr and returns the exit code it stands for. */
  error(error: unknown): ExitCode;
  readonly stderr: NodeJS.WriteStream;
  readonly stdout: NodeJS.WriteStream;
}

export interface OutputOptions {
  json: boolean;
  /** Secrets that must never be printed (the bearer token): replaced wherever they would appear. */
  secrets: string[];
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

export function createOutput(options: OutputOptions): Output {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  // Belt and braces: the server never echoes a token, but a message that quotes a URL or an
  // option could; nothing this process prints may contain one.
  const redact = (text: string) => options.secrets.filter((s) => s.length > 0).reduce((t, s) => t.split(s).join("[redacted]"), text);
  return {
    json: options.json,
    stdout,
    stderr,
    result(value, text) {
      stdout.write(`${redact(options.json ? JSON.stringify(value) : text())}\n`);
    },
    note(text) {
      if (!options.json) stderr.write(`${redact(text)}\n`);
    },
    error(error) {
      const { code, message, exitCode, extra } = describe(error);
      if (options.json) stderr.write(`${redact(JSON.stringify({ error: { code, message, exitCode, ...extra } }))}\n`);
      else stderr.write(`${redact(`cache-sync: ${code}: ${message}`)}\n`);
      return exitCode;
    },
  };
}

function describe(error: unknown): { code: string; message: string; exitCode: ExitCode; extra: Record<string, unknown> } {
  if (error instanceof CliError) return { code: error.code, message: error.message, exitCode: error.exitCode, extra: { ...error.details } };
  if (isCacheError(error)) {
    const extra: Record<string, unknown> = { status: error.status };
    if (error.details) extra.details = error.details;
    if (error.issues) extra.issues = error.issues;
    if (error.retryAfterMs !== undefined) extra.retryAfterMs = error.retryAfterMs;
    if (error.job) extra.job = error.job;
    return { code: error.code, message: error.message, exitCode: exitCodeFor(error.code), extra };
  }
  // The SDK refuses bad options (a namespace with capitals, a URL that is not http) with a TypeError.
  if (error instanceof TypeError && error.message.startsWith("createCacheClient:")) {
    return { code: "USAGE", message: error.message.replace(/^createCacheClient: /, ""), exitCode: EXIT.usage, extra: {} };
  }
  // Anything else is a bug in this tool: say so plainly, without a stack trace.
  return { code: "INTERNAL_ERROR", message: error instanceof Error ? error.message : String(error), exitCode: EXIT.internal, extra: {} };
}
