/** Bearer tokens the workerd tests use; test/node/test-config.ts configures their hashes. */
export const TEST_TOKENS = {
  admin: "test-admin-token-0b8f3c",
  reader: "test-reader-token-5d21aa",
  productsWriter: "test-products-writer-9e77c1",
  /** Admin of two namespaces only (operator-queries.test.ts: what `namespaces` lists for it). */
  productsAdmin: "test-products-admin-41c6d8",
} as const;
