/**
 * The one part of `node:crypto` the Worker uses (colo/cache-tags.ts), which `nodejs_compat`
 * provides in workerd. Declared here rather than pulling all of Node's types into the Worker's
 * compilation, where they would change what `setTimeout` and friends return.
 */
declare module "node:crypto" {
  interface Hash {
    update(data: string, encoding: "utf8"): Hash;
    digest(encoding: "hex"): string;
  }
  export function createHash(algorithm: "sha256"): Hash;
}
