/**
 * The operator queries the SDK's client does not wrap (`namespaces`, `jobs`; admin only), sent as
 * plain tRPC GETs to this origin, typed by the SDK's generated wire types. Failures become the
 * SDK's CacheError, so the page handles every error one way.
 */
import { CacheError, type CacheErrorCode, type Procedures } from "@cache-sync/client";

type AdminQuery = "namespaces" | "jobs";

const TIMEOUT_MS = 5000;

export async function adminQuery<P extends AdminQuery>(
  procedure: P,
  input: Procedures[P]["input"],
  token: string,
): Promise<Procedures[P]["output"]> {
  const url = new URL(`/trpc/${procedure}`, location.origin);
  if (input !== undefined) url.searchParams.set("input", JSON.stringify(input));
  let response: Response;
  try {
    response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === "TimeoutError";
    throw new CacheError({ code: timedOut ? "TIMEOUT" : "NETWORK_ERROR", message: `${procedure}: the cache did not answer`, cause: error });
  }
  const body = (await response.json().catch(() => null)) as TrpcReply<Procedures[P]["output"]> | null;
  if (response.ok && body && "result" in body) return body.result.data;
  const error = body && "error" in body ? body.error : undefined;
  throw new CacheError({
    code: (error?.data?.code ?? "INTERNAL_SERVER_ERROR") as CacheErrorCode,
    message: error?.message ?? `${procedure}: HTTP ${response.status}`,
    status: response.status,
  });
}

type TrpcReply<T> = { result: { data: T } } | { error: { message: string; data?: { code?: string } } };
