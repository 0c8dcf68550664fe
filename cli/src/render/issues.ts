/** zod issues as `{ path: "namespaces.products.shards", message }`, the way the server names a bad field. */
export interface PathIssue {
  path: string;
  message: string;
}

export function issuePaths(issues: readonly { path: readonly PropertyKey[]; message: string }[]): PathIssue[] {
  return issues.map((issue) => ({ path: issue.path.map(String).join(".") || "(root)", message: issue.message }));
}
