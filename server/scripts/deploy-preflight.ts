/**
 * What `npm run deploy` checks before it deploys: everything that can be known offline from the
 * Wrangler config (placeholder ids, rate-limit namespace ids, the CACHE_CONFIG var), and, when an
 * account is reachable, that the CACHE_TOKENS secret exists. Each problem is one line saying what
 * is wrong and how to fix it.
 */
import { cacheConfig } from "@cache-sync/contracts";
import { unstable_readConfig } from "wrangler";

export interface PreflightResult {
  problems: string[];
  notes: string[];
}

const PLACEHOLDER_ID = /^0{8}-0{4}-0{4}-0{4}-0{12}$/;

export function preflight(configPath: string, env: string | undefined): PreflightResult {
  const problems: string[] = [];
  const notes: string[] = [];
  const config = unstable_readConfig({ config: configPath, env });
  const where = env ? `env.${env}` : "the top level";

  for (const db of config.d1_databases ?? []) {
    if (!db.database_id || PLACEHOLDER_ID.test(db.database_id)) {
      problems.push(
        `d1_databases ${db.binding}: database_id is the placeholder ${db.database_id ?? "(none)"} in ${where}; ` +
          `create the database (npx wrangler d1 create ${db.database_name ?? "cache-sync-main"}) and put its id there`,
      );
    }
  }

  const limiters: { name: string; namespace_id: string | number }[] = config.ratelimits ?? [];
  const ids = new Map<string, string[]>();
  for (const limiter of limiters) ids.set(String(limiter.namespace_id), [...(ids.get(String(limiter.namespace_id)) ?? []), limiter.name]);
  for (const [id, names] of ids) {
    if (!/^\d+$/.test(id)) problems.push(`ratelimits ${names.join(", ")}: namespace_id "${id}" must be a positive integer`);
    if (names.length > 1) {
      const listed = `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
      problems.push(`ratelimits ${listed} share namespace_id ${id}: give each limiter its own, or they count together`);
    }
  }
  for (const name of ["TOKEN_RATE_LIMITER", "ANON_RATE_LIMITER", "AUTH_FAIL_RATE_LIMITER"]) {
    if (!limiters.some((limiter) => limiter.name === name)) problems.push(`ratelimits: ${name} is missing in ${where}`);
  }

  const raw = config.vars?.CACHE_CONFIG;
  if (raw === undefined) {
    problems.push(`vars.CACHE_CONFIG is not set in ${where}: every namespace the service serves is configured there`);
  } else {
    let parsed: unknown = raw;
    try {
      if (typeof raw === "string") parsed = JSON.parse(raw);
    } catch {
      problems.push(`vars.CACHE_CONFIG in ${where} is not JSON`);
    }
    const result = cacheConfig.safeParse(parsed);
    if (!result.success) {
      for (const issue of result.error.issues)
        problems.push(`vars.CACHE_CONFIG in ${where}: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
    }
  }
  if (config.vars?.CACHE_TOKENS !== undefined) {
    problems.push(
      `vars.CACHE_TOKENS is set in ${where}: tokens belong in a secret (npx wrangler secret put CACHE_TOKENS), never in the config`,
    );
  }
  notes.push(
    `worker ${config.name}${env ? ` (env ${env})` : ""}: ${config.d1_databases?.length ?? 0} D1 database(s), ${limiters.length} rate limiter(s)`,
  );
  return { problems, notes };
}
