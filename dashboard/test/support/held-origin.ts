/**
 * An origin that holds every request until the test releases it: a request to the cache that
 * misses stays in flight inside the Worker for as long as the test needs, so a runtime reload
 * (which cuts requests in flight) would show as its failure.
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface HeldOrigin {
  url: string;
  /** Resolves when the first request has arrived (the Worker is waiting on it). */
  arrived: Promise<void>;
  /** Answers every held request, and every later one at once, with `{ "key": <path's last segment> }`. */
  release(): void;
  /** How many requests arrived for `key` (a request that a reload cut and wrangler re-sent counts twice). */
  arrivals(key: string): number;
  close(): Promise<void>;
}

export async function startHeldOrigin(): Promise<HeldOrigin> {
  const held: { res: ServerResponse; key: string }[] = [];
  const counts = new Map<string, number>();
  let released = false;
  let signalArrival!: () => void;
  const arrived = new Promise<void>((resolve) => (signalArrival = resolve));
  const answer = (res: ServerResponse, key: string) =>
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ key }));
  const server = createServer((req, res) => {
    const key = decodeURIComponent(new URL(req.url ?? "/", "http://origin").pathname.split("/").at(-1) ?? "");
    counts.set(key, (counts.get(key) ?? 0) + 1);
    signalArrival();
    if (released) answer(res, key);
    else held.push({ res, key });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrived,
    release() {
      released = true;
      for (const { res, key } of held.splice(0)) answer(res, key);
    },
    arrivals: (key) => counts.get(key) ?? 0,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
