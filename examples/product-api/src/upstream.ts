/**
 * The slow upstream this example protects: a product service answering
 * `GET /products/:id?fields=a,b` after `latencyMs`, counting its calls (what the cache saves).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface Upstream {
  url: string;
  /** Calls served so far, per product id. */
  calls(productId?: string): number;
  close(): Promise<void>;
}

const catalog: Record<string, Record<string, unknown>> = {
  "SKU-1": { name: "Trail shoe", price: 89.9, stock: 14, color: "blue" },
  "SKU-2": { name: "Rain jacket", price: 129, stock: 3, color: "yellow" },
};

export async function startUpstream(options: { latencyMs?: number; port?: number } = {}): Promise<Upstream> {
  const calls = new Map<string, number>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://upstream");
    const id = decodeURIComponent(url.pathname.match(/^\/products\/([^/]+)$/)?.[1] ?? "");
    calls.set(id, (calls.get(id) ?? 0) + 1);
    setTimeout(() => {
      const product = catalog[id];
      if (!product) return void res.writeHead(404, { "content-type": "application/json" }).end('{"error":"no such product"}');
      const fields = url.searchParams.get("fields")?.split(",").filter(Boolean) ?? [];
      const view = fields.length === 0 ? product : Object.fromEntries(fields.filter((f) => f in product).map((f) => [f, product[f]]));
      res
        .writeHead(200, { "content-type": "application/json", "cache-tag": `product:${id}` })
        .end(JSON.stringify({ id, ...view, servedAt: Date.now() }));
    }, options.latencyMs ?? 300);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls: (productId) => (productId === undefined ? [...calls.values()].reduce((a, b) => a + b, 0) : (calls.get(productId) ?? 0)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
