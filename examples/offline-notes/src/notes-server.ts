/**
 * Serves the notes page: `page/index.html`, `app.js` (src/notes-app.ts bundled with esbuild, with
 * the SDK from source) and `config.json` (where the cache is, and the token). A real app would hand
 * each user a token scoped to their namespace after login; this local example serves one.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export interface NotesPageConfig {
  cacheUrl: string;
  token: string;
  namespace: string;
}

export interface NotesServer {
  url: string;
  /** Set once the cache is up (the cache's CORS config needs this server's origin first). */
  configure(config: NotesPageConfig): void;
  close(): Promise<void>;
}

export async function startNotesServer(port = 0): Promise<NotesServer> {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL("./notes-app.ts", import.meta.url))],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    alias: { "@cache-sync/client": fileURLToPath(new URL("../../../client-sdk/src/index.ts", import.meta.url)) },
  });
  const files: Record<string, { type: string; body: string | Uint8Array }> = {
    "/": { type: "text/html; charset=utf-8", body: readFileSync(new URL("../page/index.html", import.meta.url), "utf8") },
    "/app.js": { type: "text/javascript", body: bundle.outputFiles[0]!.contents },
  };
  let config: NotesPageConfig | undefined;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://notes").pathname;
    if (path === "/config.json" && config)
      return void res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(config));
    const file = files[path];
    if (!file) return void res.writeHead(404).end("not found");
    res.writeHead(200, { "content-type": file.type }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    configure: (next) => (config = next),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The cache's `notes` namespace: notes stay fresh for a week (there is no origin to reload them from). */
export function notesCacheConfig(pageOrigin: string) {
  return { corsOrigins: [pageOrigin], namespaces: { default: {}, notes: { freshMs: 7 * 24 * 3_600_000, staleMs: 0 } } };
}
