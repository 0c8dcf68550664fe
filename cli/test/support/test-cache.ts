/**
 * A real cache-sync server for the CLI's tests: `wrangler dev` started by the server's e2e
 * harness (config through --env-file, its output checked for leaked tokens on stop), a local
 * origin (which also serves test purge targets), and tokens issued for this run.
 */
import { startOrigin, type OriginServer } from "@cache-sync/dev-kit/origin-server";
import { cacheTokensVar, issueToken, type IssuedToken } from "@cache-sync/dev-kit/tokens";
import { startDevServer, type DevServer } from "@cache-sync/dev-kit/wrangler-dev";

export interface TestCache {
  server: DevServer;
  origin: OriginServer;
  /** Admin on every namespace. */
  admin: IssuedToken;
  /** `read` on the `default` namespace only. */
  reader: IssuedToken;
  /** The CLI's environment for this server, with the admin token unless another is given. */
  env(token?: string): Record<string, string>;
  /** Sets how an origin purge path answers (see dev-kit/src/origin/purge-target.ts). */
  purgeBehaviour(path: string, behaviour: { hold?: boolean; failTimes?: number; failStatus?: number }): Promise<void>;
  /** Answers every held call on the path. */
  releasePurge(path: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestCache(namespaces: (originUrl: string) => Record<string, unknown>): Promise<TestCache> {
  const origin = await startOrigin();
  const admin = issueToken("cli-admin", ["admin"], ["*"]);
  const reader = issueToken("cli-reader", ["read"], ["default"]);
  let server: DevServer;
  try {
    server = await startDevServer({
      vars: { CACHE_CONFIG: { namespaces: namespaces(origin.url) }, CACHE_TOKENS: cacheTokensVar([admin, reader]) },
    });
  } catch (error) {
    await origin.close();
    throw error;
  }
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${origin.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    await response.text();
  };
  return {
    server,
    origin,
    admin,
    reader,
    env: (token = admin.token) => ({ CACHE_SYNC_URL: server.url, CACHE_SYNC_TOKEN: token }),
    purgeBehaviour: (path, behaviour) => post("/__purge/behave", { path, ...behaviour }),
    releasePurge: (path) => post("/__purge/release", { path }),
    async stop() {
      await server.stop();
      await origin.close();
    },
  };
}
