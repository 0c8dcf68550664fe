#!/usr/bin/env node
// `npm run dev:dashboard [-- --port 8788 --upstream http://127.0.0.1:8787]`: the dashboard,
// rebuilt on every change of its sources, at http://127.0.0.1:8788/dashboard/, next to a running
// `npm run dev`. It never writes into the assets directory that wrangler serves: any write there
// makes `wrangler dev` reload its runtime, which cuts the requests in flight. Instead an esbuild
// context watches the sources and keeps the latest build in memory; every other path (/trpc,
// /health, /schema.json, …) is proxied to the Worker, so the page talks to its own origin as it
// does when the Worker serves it (no CORS), under the same headers (the committed `_headers`).
// Reload the page to see a change; a build that fails keeps the last good one (esbuild prints why).
import { readFileSync } from "node:fs";
import { createServer, request } from "node:http";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { context } from "esbuild";
import { loadAssetHeaders } from "./asset-headers.mjs";
import { assetsDir, buildOptions, dashboardDir } from "./build.mjs";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.DASHBOARD_PORT ?? "8788" },
    upstream: { type: "string", default: process.env.CACHE_SYNC_URL ?? "http://127.0.0.1:8787" },
    // A copy of the sources to serve instead of the package's own (the dev server's test edits one).
    source: { type: "string", default: dashboardDir },
  },
});
const upstream = new URL(values.upstream);
const headersFor = loadAssetHeaders(join(assetsDir, "_headers"));
const CONTENT_TYPES = { ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".html": "text/html; charset=utf-8" };
// Hop-by-hop headers belong to one connection and are not forwarded (RFC 9110, 7.6.1).
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"]);

/** The latest successful build: request path → contents. */
let built = new Map();
let firstBuildDone;
const firstBuild = new Promise((resolve) => (firstBuildDone = resolve));
const options = buildOptions(values.source);
const builder = await context({
  ...options,
  // In memory only (`outdir` only names the files): a write into the assets directory would reload wrangler's runtime.
  write: false,
  plugins: [
    {
      name: "keep-in-memory",
      setup(build) {
        let started = 0;
        build.onStart(() => void (started = Date.now()));
        build.onEnd((result) => {
          firstBuildDone();
          if (result.errors.length > 0) return console.log("dashboard: build failed; still serving the last good one");
          built = new Map(result.outputFiles.map((file) => [`/dashboard/${file.path.slice(options.outdir.length + 1)}`, file.contents]));
          console.log(`dashboard: built in ${Date.now() - started} ms`);
        });
      },
    },
  ],
});
await builder.watch();
await firstBuild;

const server = createServer((req, res) => {
  const path = new URL(req.url ?? "/", "http://dev").pathname;
  if (path === "/dashboard") return void res.writeHead(307, { location: "/dashboard/" }).end();
  if (path.startsWith("/dashboard/")) return serveDashboard(path, res);
  proxy(req, res);
});

function serveDashboard(path, res) {
  // index.html is not part of the bundle, so it is read as it is now on every request.
  const contents = path === "/dashboard/" ? readFileSync(join(values.source, "index.html")) : built.get(path);
  if (contents === undefined) return void res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  const type = CONTENT_TYPES[path === "/dashboard/" ? ".html" : path.slice(path.lastIndexOf("."))] ?? "application/octet-stream";
  res.writeHead(200, { ...headersFor(path), "content-type": type, "cache-control": "no-store" }).end(contents);
}

function proxy(req, res) {
  const target = new URL(req.url ?? "/", upstream);
  const outgoing = request(target, { method: req.method, headers: { ...withoutHopByHop(req.headers), host: target.host } }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
    answer.pipe(res);
  });
  outgoing.on("error", (error) => {
    if (res.headersSent) return void res.destroy(error);
    res
      .writeHead(502, { "content-type": "text/plain" })
      .end(`dev:dashboard: ${upstream.origin} did not answer (${error.message}); is \`npm run dev\` running?`);
  });
  // A caller that goes away takes its upstream request with it.
  res.on("close", () => {
    if (!res.writableFinished) outgoing.destroy();
  });
  req.pipe(outgoing);
}

function withoutHopByHop(headers) {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));
}

server.listen(Number(values.port), "127.0.0.1", () => {
  console.log(`dashboard: http://127.0.0.1:${server.address().port}/dashboard/ (rebuilt on change; the API from ${upstream.origin})`);
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close();
    void builder.dispose().then(() => process.exit(0));
  });
}
