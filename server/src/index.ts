/** cache-sync Worker entry: the HTTP app and the Durable Object classes wrangler binds. */
import { app } from "./app.ts";

export { CacheShard } from "./shard/cache-shard.ts";
export type { AppRouter } from "./trpc/router.ts";

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
