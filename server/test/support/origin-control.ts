/** Steers the local origin server (see origin-server.ts) from inside workerd tests. */
import { env } from "cloudflare:workers";
import type { Behaviour } from "@cache-sync/dev-kit/origin-behaviour";

const base = () => `http://127.0.0.1:${env.ORIGIN_PORT}`;

export async function behave(key: string | undefined, behaviour: Behaviour): Promise<void> {
  const response = await fetch(`${base()}/__behave`, { method: "POST", body: JSON.stringify({ key, ...behaviour }) });
  await response.text();
}

export async function originCount(key: string): Promise<number> {
  const response = await fetch(`${base()}/__count?key=${encodeURIComponent(key)}`);
  return ((await response.json()) as { count: number }).count;
}

/** A key no other test uses, so origin counts start at zero. */
export function uniqueKey(label: string): string {
  return `${label}-${crypto.randomUUID()}`;
}

/** The most origin requests that were in flight at once for keys "<group>:…". */
export async function originMaxConcurrency(group: string): Promise<number> {
  const response = await fetch(`${base()}/__concurrency?group=${encodeURIComponent(group)}`);
  return ((await response.json()) as { max: number }).max;
}

/** How many origin requests arrived for keys starting with `prefix`. */
export async function originTotal(prefix: string): Promise<number> {
  const response = await fetch(`${base()}/__total?prefix=${encodeURIComponent(prefix)}`);
  return ((await response.json()) as { total: number }).total;
}

/** The Host header and the `x-origin-secret` header of every origin request for `key`, in order. */
export async function originSeen(key: string): Promise<{ host: string | undefined; secret: string | undefined }[]> {
  const response = await fetch(`${base()}/__seen?key=${encodeURIComponent(key)}`);
  return ((await response.json()) as { seen: { host: string | undefined; secret: string | undefined }[] }).seen;
}
