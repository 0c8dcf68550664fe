/**
 * The one reader of tRPC request paths (`/trpc/get`, `/trpc/get,set?batch=1`) and of the inputs
 * they carry, as tRPC itself reads them: the gate, the `get` short path and the request log all
 * use it, so they agree on what a request calls.
 */
import { DEFAULT_NAMESPACE, LIMITS } from "@cache-sync/contracts";
import { CacheError } from "../errors.ts";

export interface TrpcCall {
  /** Procedure names in call order (tRPC's `/` separator already turned into `.`); may be unknown. */
  names: string[];
  /** `?batch=1`: the input is an object keyed by call index. */
  batch: boolean;
}

const ENDPOINT = "/trpc";

/**
 * The call a `/trpc/...` path names (as sent: percent-escapes kept), with `?batch=1` or not. A
 * malformed percent-escape is the caller's mistake (400).
 */
export function parseTrpcPath(rawPath: string, batch: boolean): TrpcCall {
  const raw = trimSlashes(rawPath, ENDPOINT.length);
  let path: string;
  try {
    path = raw.includes("%") ? decodeURIComponent(raw) : raw;
  } catch {
    throw new CacheError("BAD_REQUEST", "the tRPC path has a malformed percent-escape");
  }
  return { names: batch ? path.split(",").map(dotted) : [dotted(path)], batch };
}

/** tRPC's `/` separator of nested procedure names as the `.` the router names them with. */
function dotted(name: string): string {
  return name.includes("/") ? name.split("/").join(".") : name;
}

/** `text` from `start`, without leading or trailing slashes (every request's path passes here: no regex). */
function trimSlashes(text: string, start: number): string {
  let from = start;
  let to = text.length;
  while (from < to && text.charCodeAt(from) === 47) from++;
  while (to > from && text.charCodeAt(to - 1) === 47) to--;
  return text.slice(from, to);
}

/**
 * Each call's input from the parsed JSON (`?input=` or the body), as tRPC splits it: a batch's
 * input is an object keyed by index; anything else belongs to the single call.
 */
export function callInputs(call: TrpcCall, parsed: unknown): unknown[] {
  if (!call.batch) return [parsed];
  const byIndex = isObject(parsed) ? parsed : {};
  return call.names.map((_, index) => byIndex[String(index)]);
}

/**
 * The namespace an input names: the default when it names none, undefined when what it names is
 * not a namespace (validation will refuse the input).
 */
export function inputNamespace(input: unknown): string | undefined {
  if (input === undefined) return DEFAULT_NAMESPACE;
  if (!isObject(input)) return undefined;
  const namespace = input.namespace;
  if (namespace === undefined) return DEFAULT_NAMESPACE;
  return typeof namespace === "string" && LIMITS.namespacePattern.test(namespace) ? namespace : undefined;
}

/**
 * JSON text → `{ value }` (no text: no input, `value` undefined); undefined when it is not JSON,
 * which tRPC then answers with its parse error.
 */
export function parseJson(text: string | null | undefined): { value: unknown } | undefined {
  if (!text) return { value: undefined };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
