/** Bindings `wrangler types` cannot see: secrets. */
declare namespace Cloudflare {
  interface Env {
    /** JSON list of tokens (docs/design.md "Configuration"); a secret, never in wrangler.jsonc. */
    CACHE_TOKENS?: string;
  }
}
