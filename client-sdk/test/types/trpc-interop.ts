// Plain tRPC against the service with the SDK's AppRouter type: a vanilla client and TanStack
// Query (`@trpc/tanstack-react-query`). Compiled only inside the packed-package test's consumer
// project, which installs the tarball beside @trpc/client, @trpc/tanstack-react-query and
// @tanstack/react-query (the SDK does not depend on them).
import { QueryClient, useQuery } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import type { GetResult, InvalidationStatus, JsonValue } from "@cache-sync/client";
import type { AppRouter } from "@cache-sync/client/trpc";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(_proof?: T) => {};

export const trpc = createTRPCClient<AppRouter>({
  // maxItems: the service refuses batches over its maxBatchSize (50 by default).
  links: [httpBatchLink({ url: "http://127.0.0.1:8787/trpc", maxItems: 50, headers: { authorization: "Bearer token" } })],
});

export async function vanilla(): Promise<void> {
  const entry = await trpc.get.query({ namespace: "products", key: "SKU123" });
  assertType<Equal<typeof entry, GetResult>>();
  assertType<Equal<typeof entry.value, JsonValue | null>>();
  const written = await trpc.set.mutate({ key: "SKU123", value: { price: 12.5 }, tags: ["catalog"] });
  assertType<Equal<typeof written.version, number>>();
  const job = await trpc.invalidate.mutate({ tags: ["catalog"] });
  assertType<Equal<typeof job, InvalidationStatus>>();
  // @ts-expect-error -- `get` is a query, not a mutation
  await trpc.get.mutate({ key: "x" });
  // @ts-expect-error -- `key` is required
  await trpc.get.query({ namespace: "products" });
  try {
    await trpc.stats.query({});
  } catch (error) {
    if (error instanceof TRPCClientError) {
      const issues = (error as TRPCClientError<AppRouter>).data?.issues;
      assertType<Equal<typeof issues, { path: (string | number)[]; message: string; code: string }[] | undefined>>();
    }
  }
}

export function useProduct(sku: string) {
  const queryClient = new QueryClient();
  const options = createTRPCOptionsProxy<AppRouter>({ client: trpc, queryClient });
  const query = useQuery(options.get.queryOptions({ namespace: "products", key: sku }));
  assertType<Equal<typeof query.data, GetResult | undefined>>();
  return query.data?.found;
}
