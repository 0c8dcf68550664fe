/**
 * `@cache-sync/client/trpc`: the service's router type for apps that use tRPC directly. A separate
 * entry point, so that `createCacheClient` users never load tRPC's declarations (which need
 * TypeScript's `esnext.disposable` lib) and the SDK itself depends on nothing.
 */
export type { AppRouter, CacheErrorShape } from "./trpc/app-router.ts";
