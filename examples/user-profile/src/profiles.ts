/**
 * The profile app: `GET /profiles/:userId` and `PUT /profiles/:userId`, both answered by cache-sync.
 * The cache's `profiles` namespace writes behind to D1 and has no origin, so
 *
 *   PUT ──► cache.set(userId, profile, tags ["user:<id>"]) ──► ack (entry + outbox row, one SQLite transaction)
 *                                                   └─ every 2 s, per shard: one D1 batch, one row per user
 *   GET ──► cache.get(userId) ──(miss)──► SELECT … FROM cache_records (read-through from D1)
 *
 * An update is acknowledged at cache speed; repeated updates of one user coalesce into one outbox
 * row, and D1 only ever keeps the highest version.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { isCacheError, type CacheClient, type JsonValue } from "@cache-sync/client";

export const PROFILES_NAMESPACE = "profiles";

/** The `profiles` namespace of CACHE_CONFIG: fresh 5 min, written behind to D1 every 2 s. */
export function profilesNamespaceConfig(options: { flushIntervalMs?: number } = {}) {
  return {
    shards: 2,
    freshMs: 300_000,
    writeBehind: { sink: "d1" as const, flushIntervalMs: options.flushIntervalMs ?? 2_000 },
  };
}

export type Profile = { [field: string]: JsonValue } & { userId: string };

const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_BODY_BYTES = 16 * 1024;

export const userTag = (userId: string) => `user:${userId}`;

export function profileAppHandler(options: { cache: CacheClient; namespace?: string }) {
  const { cache, namespace = PROFILES_NAMESPACE } = options;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      void res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
    try {
      const userId = new URL(req.url ?? "/", "http://app").pathname.match(/^\/profiles\/([^/]+)$/)?.[1];
      if (!userId) return send(404, { error: "try GET or PUT /profiles/<userId>" });
      if (!USER_ID.test(userId)) return send(400, { error: "userId must be 1-64 characters of A-Z, a-z, 0-9, '_' or '-'" });

      if (req.method === "GET") {
        const entry = await cache.get<Profile>(userId, { namespace });
        if (!entry.found) return send(404, { error: `no profile for ${userId}` });
        return send(200, entry.value, { "x-cache": entry.state, "x-version": String(entry.version) });
      }

      if (req.method === "PUT") {
        let fields: unknown;
        try {
          fields = JSON.parse(await readBody(req));
        } catch (error) {
          return send(400, { error: (error as Error).message });
        }
        if (typeof fields !== "object" || fields === null || Array.isArray(fields))
          return send(400, { error: "the body must be a JSON object" });
        const profile: Profile = { ...(fields as Record<string, JsonValue>), userId };
        // Acknowledged once the shard has the entry and its outbox row; D1 gets it with the next flush.
        const written = await cache.set(userId, profile, { namespace, tags: [userTag(userId)] });
        if (written.queued) return send(503, { error: "the cache is unreachable" }); // not with offlineQueue: false
        return send(200, { profile, version: written.version }, { "x-version": String(written.version) });
      }

      send(405, { error: "GET or PUT" }, { allow: "GET, PUT" });
    } catch (error) {
      if (isCacheError(error)) return send(error.status || 502, { error: error.message, code: error.code });
      send(500, { error: "internal error" });
    }
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error(`the body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
