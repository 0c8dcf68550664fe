/**
 * The write-behind `http` sink for the bench: acknowledges every batch (`{ batchId, records }`,
 * docs/design.md "Configuration") and counts batches, rows and the keys they carried.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface SinkCounts {
  batches: number;
  rows: number;
  /** Batches whose id was seen before (a retried delivery). */
  repeatedBatches: number;
}

export interface SinkServer {
  url: string;
  counts(): SinkCounts;
  close(): Promise<void>;
}

export async function startSink(): Promise<SinkServer> {
  const counts: SinkCounts = { batches: 0, rows: 0, repeatedBatches: 0 };
  const batchIds = new Set<string>();
  const server: Server = createServer((req, res) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (text += chunk));
    req.on("end", () => {
      try {
        const { batchId, records } = JSON.parse(text) as { batchId: string; records: unknown[] };
        if (batchIds.has(batchId)) counts.repeatedBatches++;
        batchIds.add(batchId);
        counts.batches++;
        counts.rows += records.length;
        res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
      } catch (error) {
        res.writeHead(400).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sink`,
    counts: () => ({ ...counts }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
