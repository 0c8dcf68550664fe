#!/usr/bin/env node
/**
 * Runs after `npm ci`/`npm install` (root `postinstall`): makes `wrangler dev` hold still under
 * bursts of requests. Only the local dev server is touched; nothing deployed runs this code.
 *
 * Why: `wrangler dev` puts a ProxyWorker in front of the Worker. Both sides of that hop close
 * idle keep-alive connections after 5 s (kj's default), so when a burst reuses a pooled
 * connection just as it times out, the connection is reset before the request reaches the
 * Worker. wrangler 4.86 (the last release that runs on Node 20) then answers every such POST with
 * a false 503 "Your worker restarted mid-request", and parks such a GET until the next request
 * arrives (forever, if none does). Measured here: 135 of 2,400 POSTs to a Worker that only says
 * "hi", in bursts of 400 with 1.5 s pauses. Upstream: cloudflare/workers-sdk#14641, fixed by
 * #15252 in releases that need Node 22.
 *
 * The patch: the ProxyWorker buffers a request's body and sends the request again, up to 8
 * times with a short growing pause, while the Worker it proxies to is still the same one. A request whose connection was
 * reset before it was read was never run; a replayed mutation from the SDK carries its
 * idempotency key anyway. Idempotent: a patched file is left alone. It refuses loudly on any
 * other wrangler version, so an upgrade cannot silently drop the fix.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const MARK = "/* cache-sync: replay on a reset proxy connection */";
const ANCHOR = "void fetch(userWorkerUrl, new Request(request, { headers })).then(async (res) => {";
const TAIL_ANCHOR = "function isRequestFromProxyController(req, env) {";

const require = createRequire(import.meta.url);
let wranglerRoot;
try {
  wranglerRoot = dirname(require.resolve("wrangler/package.json"));
} catch {
  process.exit(0); // installed without dev dependencies: no wrangler dev to patch
}
const { version } = JSON.parse(readFileSync(join(wranglerRoot, "package.json"), "utf8"));
const file = join(wranglerRoot, "wrangler-dist", "ProxyWorker.js");
const source = readFileSync(file, "utf8");
if (source.includes(MARK)) process.exit(0);
if (version !== "4.86.0" || !source.includes(ANCHOR) || !source.includes(TAIL_ANCHOR)) {
  console.error(`patch-wrangler-proxy: expected wrangler 4.86.0's ProxyWorker (found ${version}); review scripts/patch-wrangler-proxy.mjs`);
  process.exit(1);
}

const helper = `${MARK}
var replayableBodies = new WeakMap();
async function fetchUserWorker(proxy, proxyData, userWorkerUrl, request, headers) {
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  if (hasBody && !replayableBodies.has(request)) replayableBodies.set(request, await request.arrayBuffer());
  for (let attempt = 1; ; attempt++) {
    const outgoing = hasBody
      ? new Request(request.url, { method: request.method, headers, body: replayableBodies.get(request), redirect: request.redirect, cf: request.cf })
      : new Request(request, { headers });
    try {
      return await fetch(userWorkerUrl, outgoing);
    } catch (error) {
      if (attempt >= 8 || proxy.proxyData !== proxyData) throw error;
      // A pause lets the pool drop the other connections that timed out in the same instant.
      await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
    }
  }
}
`;
const patched = source
  .replace(ANCHOR, "void fetchUserWorker(this, proxyData, userWorkerUrl, request, headers).then(async (res) => {")
  .replace(TAIL_ANCHOR, `${helper}${TAIL_ANCHOR}`);
writeFileSync(file, patched);
console.log("patch-wrangler-proxy: wrangler dev's ProxyWorker now replays requests whose proxy connection was reset");
