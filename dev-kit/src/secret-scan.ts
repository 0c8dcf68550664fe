/**
 * Issue 8's rule, checked on real output: no log line may carry a token or a cached value. Tests
 * hand their captured `wrangler dev` output here with the tokens and values they used; the logs
 * are also kept as test artifacts (server/test-artifacts/wrangler-logs, git-ignored).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Anything shaped like one of this project's tokens (test and dev tokens), known or not. */
const TOKEN_SHAPE = /\bcs_(?:test|dev)_[A-Za-z0-9_-]{12,}/g;

export const artifactsDir = fileURLToPath(new URL("../../server/test-artifacts/", import.meta.url));

export interface Secrets {
  tokens: string[];
  /** Cached values (any JSON); every string of 8+ characters in them is looked for, and the whole JSON. */
  values: unknown[];
}

/** The secrets found in `output`, described (never quoted: the report must not leak them either). */
export function findSecrets(output: string, secrets: Secrets): string[] {
  const found: string[] = [];
  secrets.tokens.forEach((token, i) => {
    if (output.includes(token)) found.push(`token #${i}`);
  });
  for (const match of output.match(TOKEN_SHAPE) ?? []) found.push(`a token-shaped string of ${match.length} characters`);
  secrets.values.forEach((value, i) => {
    const needles = [JSON.stringify(value), ...strings(value)].filter((text) => text.length >= 8);
    if (needles.some((needle) => output.includes(needle))) found.push(`value #${i}`);
  });
  return found;
}

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

/** The Worker's request log lines (JSON, `event: "request"`) in captured output. */
export function requestLogLines(output: string): Record<string, any>[] {
  return output
    .split("\n")
    .filter((line) => line.startsWith("{") && line.includes('"event":"request"'))
    .map((line) => JSON.parse(line) as Record<string, any>);
}

/** Keeps a server's output as an artifact of the run. */
export function saveLog(name: string, output: string): string {
  const dir = join(artifactsDir, "wrangler-logs");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.log`);
  writeFileSync(file, output);
  return file;
}
