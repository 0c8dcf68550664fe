/**
 * Reads `CACHE_CONFIG` once per isolate. The var is a string when it comes from `--env-file` or
 * `.dev.vars` and an object when written as JSON in wrangler.jsonc; both are accepted.
 */
import { cacheConfig, namespaceConfig, type CacheConfig, type NamespaceConfig } from "@cache-sync/contracts";
import { CacheError } from "../errors.ts";
import { describeZodError } from "../validation/zod-errors.ts";

const BUILT_IN_NAMESPACE: NamespaceConfig = namespaceConfig.parse({});

let cached: { raw: unknown; result: CacheConfig | CacheError } | undefined;

export function loadConfig(raw: unknown): CacheConfig {
  if (cached === undefined || cached.raw !== raw) cached = { raw, result: parseConfig(raw) };
  const { result } = cached;
  if (result instanceof CacheError) throw result;
  return result;
}

function parseConfig(raw: unknown): CacheConfig | CacheError {
  let input: unknown = raw ?? {};
  if (typeof raw === "string") {
    try {
      input = raw.trim() === "" ? {} : JSON.parse(raw);
    } catch (error) {
      return invalid(`it is not valid JSON (${(error as Error).message})`);
    }
  }
  const parsed = cacheConfig.safeParse(input);
  if (parsed.success) return parsed.data;
  return invalid(describeZodError(parsed.error, { root: "(root)" }));
}

function invalid(detail: string): CacheError {
  // 503: the service cannot serve until its operator fixes the config (callers may retry; the
  // SDK queues writes meanwhile), and /health says the same.
  const error = new CacheError("SERVICE_UNAVAILABLE", `CACHE_CONFIG is invalid: ${detail}`);
  console.error(JSON.stringify({ level: "error", event: "config_invalid", message: error.message }));
  return error;
}

// The settings an unlisted namespace gets, per config (derived once, not per call).
const unlistedSettings = new WeakMap<CacheConfig, NamespaceConfig>();

/**
 * A namespace's settings: its own entry; for a namespace nobody listed, `namespaces.default`'s
 * (else the built-in defaults) **except `publicRead`**: anonymous callers never reach a namespace
 * nobody configured, and a token reaches it only when its `namespaces` names it or holds "*".
 */
export function namespaceSettings(config: CacheConfig, namespace: string): NamespaceConfig {
  if (Object.hasOwn(config.namespaces, namespace)) return config.namespaces[namespace]!;
  let settings = unlistedSettings.get(config);
  if (settings === undefined) {
    settings = { ...(config.namespaces.default ?? BUILT_IN_NAMESPACE), publicRead: false };
    unlistedSettings.set(config, settings);
  }
  return settings;
}

/** The largest request body any namespace can legitimately need: its biggest value plus the envelope. */
export function maxRequestBytes(config: CacheConfig): number {
  const largestValue = Math.max(BUILT_IN_NAMESPACE.maxValueBytes, ...Object.values(config.namespaces).map((ns) => ns.maxValueBytes));
  return largestValue + 64 * 1024;
}
