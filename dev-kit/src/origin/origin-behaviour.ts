/** How the local test origin answers a key (see ./origin-server.ts). */
export interface Behaviour {
  latencyMs?: number;
  /** Answer this status instead of 200 (with a small JSON error body). */
  status?: number;
  /** Answer this body verbatim with status 200 (e.g. not JSON). */
  rawBody?: string;
  /** Answer this JSON value; by default `{ key, fetch: <n-th request for the key> }`. */
  value?: unknown;
  tags?: string[];
  /** Answer 302 with this Location (absolute, or relative to the request). */
  redirect?: string;
  /** Send the body without Content-Length (chunked), so only counting can bound it. */
  chunked?: boolean;
}
