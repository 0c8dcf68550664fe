/**
 * The one reader of read-through paths, `/r/{namespace}/{key}`: the key is the rest of the path
 * (keys may contain "/"), each part percent-decoded. A malformed escape is the caller's mistake,
 * answered 400 (and logged like any request), never a thrown URIError.
 */
import { CacheError } from "../errors.ts";

export const PROXY_PREFIX = "/r/";

export interface ProxyPath {
  namespace: string;
  key: string;
}

/** Undefined for a path that is not `/r/{namespace}/{key}` with both parts present. */
export function parseProxyPath(pathname: string): ProxyPath | undefined {
  if (!pathname.startsWith(PROXY_PREFIX)) return undefined;
  const rest = pathname.slice(PROXY_PREFIX.length);
  const slash = rest.indexOf("/");
  if (slash <= 0 || slash === rest.length - 1) return undefined;
  return { namespace: decodePart(rest.slice(0, slash), "namespace"), key: decodePart(rest.slice(slash + 1), "key") };
}

function decodePart(raw: string, part: "namespace" | "key"): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new CacheError("BAD_REQUEST", `the ${part} in the path has a malformed percent-escape (use %XX with two hex digits, UTF-8)`);
  }
}
