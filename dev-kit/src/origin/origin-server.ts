/**
 * A real local origin for tests and the bench: `GET /items/:key` answers JSON after a
 * configurable latency and counts requests per key. Behaviour is set per key (or as the default)
 * through `POST /__behave`, so tests running side by side do not disturb each other.
 *
 *   { key?, latencyMs?, status?, rawBody?, value?, tags?, reset? }
 *   GET /__count?key=K → { count }      POST /__reset → forget everything
 *   GET /__concurrency?group=G → { max } most requests in flight at once for keys "G:…"
 *   GET /__total?prefix=P → { total }   (requests for keys starting with P; every key without it)
 *   GET /__times?key=K → { times }      (when each request for K arrived, epoch ms)
 *   GET /__seen?key=K → { seen }        (the Host and the x-origin-secret header of each request for K)
 *
 * It also serves the test purge targets of invalidation jobs under /purge (purge-target.ts), and a
 * stand-in for Cloudflare's zone purge API under /cf-api (cloudflare-api-stub.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import type { Behaviour } from "./origin-behaviour.ts";
import { CloudflareApiStub } from "./cloudflare-api-stub.ts";
import { PurgeTargets } from "./purge-target.ts";

export type { Behaviour };

export interface OriginServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startOrigin(port = 0): Promise<OriginServer> {
  const counts = new Map<string, number>();
  const arrivals = new Map<string, number[]>();
  const seen = new Map<string, { host: string | undefined; secret: string | undefined }[]>();
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();
  const behaviours = new Map<string, Behaviour>();
  let fallback: Behaviour = {};
  const purgeTargets = new PurgeTargets();
  const cloudflareApi = new CloudflareApiStub();
  const sockets = new Set<import("node:net").Socket>();

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://origin");
    if (await purgeTargets.handle(req, res, url, () => body(req))) return;
    if (await cloudflareApi.handle(req, res, url, () => body(req))) return;
    if (req.method === "POST" && url.pathname === "/__behave") {
      const { key, ...behaviour } = JSON.parse(await body(req)) as Behaviour & { key?: string };
      if (key === undefined) fallback = behaviour;
      else behaviours.set(key, behaviour);
      return json(res, 200, { ok: true });
    }
    if (req.method === "POST" && url.pathname === "/__reset") {
      counts.clear();
      seen.clear();
      inFlight.clear();
      maxInFlight.clear();
      behaviours.clear();
      fallback = {};
      purgeTargets.reset();
      cloudflareApi.reset();
      return json(res, 200, { ok: true });
    }
    if (url.pathname === "/__concurrency") {
      return json(res, 200, { max: maxInFlight.get(url.searchParams.get("group") ?? "") ?? 0 });
    }
    if (url.pathname === "/__count") {
      return json(res, 200, { count: counts.get(url.searchParams.get("key") ?? "") ?? 0 });
    }
    if (url.pathname === "/__seen") {
      return json(res, 200, { seen: seen.get(url.searchParams.get("key") ?? "") ?? [] });
    }
    if (url.pathname === "/__times") {
      return json(res, 200, { times: arrivals.get(url.searchParams.get("key") ?? "") ?? [] });
    }
    if (url.pathname === "/__total") {
      const prefix = url.searchParams.get("prefix") ?? "";
      let total = 0;
      for (const [key, count] of counts) if (key.startsWith(prefix)) total += count;
      return json(res, 200, { total });
    }
    if (url.pathname.startsWith("/items/")) {
      const key = decodeURIComponent(url.pathname.slice("/items/".length));
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      const arrived = arrivals.get(key) ?? [];
      arrived.push(Date.now());
      arrivals.set(key, arrived);
      const secret = req.headers["x-origin-secret"];
      seen.set(key, [...(seen.get(key) ?? []), { host: req.headers.host, secret: Array.isArray(secret) ? secret.join(",") : secret }]);
      // Keys "<group>:<rest>" share their group's behaviour and concurrency count (bulk tests).
      const group = key.includes(":") ? key.slice(0, key.indexOf(":")) : key;
      const behaviour = behaviours.get(key) ?? behaviours.get(group) ?? fallback;
      const running = (inFlight.get(group) ?? 0) + 1;
      inFlight.set(group, running);
      maxInFlight.set(group, Math.max(maxInFlight.get(group) ?? 0, running));
      res.once("close", () => inFlight.set(group, (inFlight.get(group) ?? 1) - 1));
      if (behaviour.latencyMs) await new Promise((resolve) => setTimeout(resolve, behaviour.latencyMs));
      if (behaviour.status !== undefined) return json(res, behaviour.status, { error: `origin says ${behaviour.status}` });
      if (behaviour.redirect !== undefined) {
        res.writeHead(302, { location: behaviour.redirect }).end();
        return;
      }
      if (behaviour.rawBody !== undefined) {
        res.writeHead(200, { "content-type": "text/html" }).end(behaviour.rawBody);
        return;
      }
      const headers: Record<string, string> = behaviour.tags ? { "cache-tag": behaviour.tags.join(",") } : {};
      const value = behaviour.value !== undefined ? behaviour.value : { key, fetch: n };
      if (behaviour.chunked) {
        res.writeHead(200, { "content-type": "application/json", ...headers });
        res.write(JSON.stringify(value)); // no Content-Length: Node sends it chunked
        res.end();
        return;
      }
      return json(res, 200, value, headers);
    }
    json(res, 404, { error: "no such route" });
  }

  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(value));
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (text += chunk));
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });
}
