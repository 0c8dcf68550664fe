/**
 * `config check`: validates a CACHE_CONFIG document with the contracts' schema (the one the
 * server uses) and works out what each namespace runs with, marking every setting as written in
 * the file or filled in by a default. Resolution follows docs/design.md "Configuration": a listed
 * namespace uses its own entry; any other uses `namespaces.default` (or the built-in defaults),
 * except `publicRead`, which is never inherited.
 */
import { cacheConfig, namespaceConfig, type CacheConfig, type NamespaceConfig } from "@cache-sync/contracts";
import { issuePaths, type PathIssue } from "../render/issues.ts";

/** One resolved setting: its dotted path, value, and whether the file wrote it. */
export interface Setting {
  path: string;
  value: unknown;
  from: "file" | "default";
}

export interface NamespaceReport {
  /** What its settings come from, in words. */
  resolvesFrom: string;
  settings: NamespaceConfig;
  fields: Setting[];
}

export type ConfigReport =
  | { valid: false; issues: PathIssue[] }
  | {
      valid: true;
      config: CacheConfig;
      topLevel: Setting[];
      namespaces: Record<string, NamespaceReport>;
      /** What a namespace the file does not list gets. */
      unlisted: NamespaceReport;
    };

export function resolveConfig(input: unknown): ConfigReport {
  const parsed = cacheConfig.safeParse(input);
  if (!parsed.success) return { valid: false, issues: issuePaths(parsed.error.issues) };
  const config = parsed.data;
  const raw = input as { namespaces?: Record<string, unknown> };
  const namespaces: Record<string, NamespaceReport> = {};
  for (const [name, settings] of Object.entries(config.namespaces)) {
    namespaces[name] = { resolvesFrom: "its own entry, defaults applied", settings, fields: settingsOf(settings, raw.namespaces?.[name]) };
  }
  const base = config.namespaces.default;
  const unlistedSettings: NamespaceConfig = { ...(base ?? namespaceConfig.parse({})), publicRead: false };
  const unlistedFields = settingsOf(unlistedSettings, raw.namespaces?.default).map(
    (field): Setting => (field.path === "publicRead" ? { ...field, from: "default" } : field),
  );
  return {
    valid: true,
    config,
    topLevel: settingsOf({ corsOrigins: config.corsOrigins, maxBatchSize: config.maxBatchSize }, input),
    namespaces,
    unlisted: {
      resolvesFrom: base
        ? "namespaces.default, except publicRead (never inherited: always false)"
        : "the built-in defaults (the file has no namespaces.default)",
      settings: unlistedSettings,
      fields: unlistedFields,
    },
  };
}

/** Flattens resolved settings to leaves; arrays and free-form maps (headers) stay whole. */
function settingsOf(resolved: object, written: unknown, prefix = ""): Setting[] {
  return Object.entries(resolved).flatMap(([name, value]): Setting[] => {
    const path = `${prefix}${name}`;
    const writtenValue = isObject(written) ? written[name] : undefined;
    if (isObject(value) && name !== "headers") return settingsOf(value, writtenValue, `${path}.`);
    return [{ path, value, from: writtenValue === undefined ? "default" : "file" }];
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
