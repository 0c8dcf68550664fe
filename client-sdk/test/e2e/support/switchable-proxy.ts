/**
 * One stable address in front of a server that stops and restarts on new ports: while no target
 * is set, every connection is cut (the server is down, as a client sees it). It also serves a test
 * page, so browser clients share its origin, and counts every idempotency key it forwards.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface SwitchableProxy {
  url: string;
  /** Where requests go now; undefined: the server is down. */
  target: string | undefined;
  /** How often a request carrying each idempotency key reached the server and was answered (replays included). */
  forwardedKeys: Map<string, number>;
  close(): Promise<void>;
}

export type StaticFiles = Record<string, { type: string; body: string }>;

const IDEMPOTENCY_KEY = /"idempotencyKey":"([^"]+)"/g;

export async function startSwitchableProxy(files: StaticFiles = {}): Promise<SwitchableProxy> {
  const forwardedKeys = new Map<string, number>();
  const proxy: SwitchableProxy = { url: "", target: undefined, forwardedKeys, close: async () => {} };
  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, target: string) => {
    // A fresh connection each time (agent: false): a pooled one the server closed while idle would
    // fail a request that never reached it, and the client would rightly send it again.
    const upstream = request(
      new URL(req.url ?? "/", target),
      { method: req.method, headers: { ...req.headers, host: new URL(target).host }, agent: false },
      (answer) => {
        // Counted once the server answered: the request reached it.
        for (const [, key] of body.toString("utf8").matchAll(IDEMPOTENCY_KEY)) forwardedKeys.set(key!, (forwardedKeys.get(key!) ?? 0) + 1);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    upstream.end(body);
  };
  const server = createServer((req, res) => {
    const file = files[req.url ?? ""];
    if (file) return void res.writeHead(200, { "content-type": file.type }).end(file.body);
    const target = proxy.target;
    if (!target) return void req.socket.destroy(); // no answer at all: a network error for the client
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => (proxy.target === target ? forward(req, res, Buffer.concat(chunks), target) : req.socket.destroy()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  return proxy;
}
