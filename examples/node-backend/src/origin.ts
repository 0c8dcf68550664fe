/**
 * The example's origin: a tiny product service the cache loads from. `GET /products/:id` answers
 * the product with a `Cache-Tag: product:<id>` header (so the cache tags the entry), and
 * `PUT /products/:id` merges a JSON patch — the "database update" of the backend script.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface ProductOrigin {
  url: string;
  /** GETs served, i.e. loads the cache made. */
  loads(): number;
  close(): Promise<void>;
}

export async function startProductOrigin(port = 0): Promise<ProductOrigin> {
  const products = new Map<string, Record<string, unknown>>([
    ["SKU-1", { id: "SKU-1", name: "Trail shoe", price: 89.9 }],
    ["SKU-2", { id: "SKU-2", name: "Rain jacket", price: 129 }],
  ]);
  let loads = 0;
  const server = createServer((req, res) => {
    const id = decodeURIComponent(new URL(req.url ?? "/", "http://origin").pathname.match(/^\/products\/([^/]+)$/)?.[1] ?? "");
    const product = products.get(id);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
    if (!product) return json(404, { error: "no such product" });
    if (req.method === "GET") {
      loads++;
      return json(200, product, { "cache-tag": `product:${id}` });
    }
    if (req.method === "PUT") {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => (body += chunk));
      req.on("end", () => {
        try {
          products.set(id, { ...product, ...(JSON.parse(body) as Record<string, unknown>), id });
          json(200, products.get(id));
        } catch {
          json(400, { error: "the body must be a JSON object" });
        }
      });
      return;
    }
    json(405, { error: "GET or PUT" });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    loads: () => loads,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
