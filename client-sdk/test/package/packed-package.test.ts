// The published package as a consumer gets it. `npm pack -w client-sdk` runs in a clean copy of the
// repository (no dist/: prepack must build it), the tarball is installed alone into an empty
// project, and there it is type-checked, imported from Node for a round trip against `wrangler dev`,
// bundled for a browser and for a Worker (`wrangler deploy --dry-run`), and used through plain tRPC.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { ADMIN_TOKEN, startCacheServer } from "../support/cache-server.ts";
import { cleanCopy, repoRoot, run } from "./clean-copy.ts";

const sdkRoot = join(repoRoot, "client-sdk");
const tsc = join(repoRoot, "node_modules/typescript/bin/tsc");
const wrangler = join(repoRoot, "node_modules/wrangler/bin/wrangler.js");
let tarball: string;
let project: string;
let server: DevServer;

const tsconfig = (files: string[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    compilerOptions: {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      noEmit: true,
      lib: ["ES2023", "DOM"],
      types: [],
      skipLibCheck: false,
      ...extra,
    },
    files,
  });

beforeAll(async () => {
  const copy = cleanCopy();
  const packDir = mkdtempSync(join(tmpdir(), "sdk-pack-"));
  run("npm", ["pack", "-w", "client-sdk", "--pack-destination", packDir], copy);
  tarball = join(packDir, readdirSync(packDir).find((f) => f.endsWith(".tgz"))!);
  project = mkdtempSync(join(tmpdir(), "sdk-consumer-"));
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  run("npm", ["install", tarball, "--prefer-offline", "--ignore-scripts"], project);
  server = await startCacheServer({ namespaces: { default: {} } });
}, 600_000);

afterAll(() => server?.stop());

describe("the packed @cache-sync/client, built only by prepack", () => {
  it("ships dist (ESM, declarations, node entry, JSON Schema), the README and the LICENSE, and nothing else", () => {
    const listing = run("tar", ["-tzf", tarball], tmpdir())
      .split("\n")
      .filter(Boolean)
      .map((p) => p.replace(/^package\//, ""));
    for (const file of [
      "dist/index.js",
      "dist/index.d.ts",
      "dist/node.js",
      "dist/node.d.ts",
      "dist/trpc.d.ts",
      "dist/schema.json",
      "LICENSE",
      "README.md",
      "package.json",
    ]) {
      expect(listing).toContain(file);
    }
    expect(listing.every((p) => p.startsWith("dist/") || ["README.md", "package.json", "LICENSE"].includes(p))).toBe(true);
    console.log(`packed size: ${(statSync(tarball).size / 1024).toFixed(1)} kB (${listing.length} files)`);
  });

  it("has a README whose links work on a registry page (absolute, not into the repository)", () => {
    const readme = readFileSync(join(project, "node_modules/@cache-sync/client/README.md"), "utf8");
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    expect(links.filter((l) => !/^(https?:|#)/.test(l))).toEqual([]);
  });

  it("type-checks a usage file with full inference, with nothing but the tarball installed", () => {
    copyFileSync(join(sdkRoot, "test/types/usage.ts"), join(project, "usage.ts"));
    writeFileSync(join(project, "tsconfig.json"), tsconfig(["usage.ts"]));
    // No dependencies at all (tRPC is an optional peer, for the /trpc entry point only): no server,
    // no contracts, no zod, no tRPC in the consumer. The declarations must stand alone.
    expect(readdirSync(join(project, "node_modules")).filter((d) => !d.startsWith("."))).toEqual(["@cache-sync"]);
    expect(readdirSync(join(project, "node_modules/@cache-sync"))).toEqual(["client"]);
    expect(() => run(process.execPath, [tsc, "-p", "."], project)).not.toThrow();
  });

  it("imports from Node through both entry points and makes a round trip against wrangler dev", () => {
    const output = run(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `
        import { createCacheClient } from "@cache-sync/client";
        import { fileStorage } from "@cache-sync/client/node";
        const cache = createCacheClient({ url: ${JSON.stringify(server.url)}, token: ${JSON.stringify(ADMIN_TOKEN)}, storage: fileStorage("./q.json") });
        const written = await cache.set("packed", { ok: true });
        const read = await cache.get("packed");
        console.log(JSON.stringify({ queued: written.queued, value: read.value, same: read.version === written.version }));
        await cache.close();
      `,
      ],
      project,
    );
    expect(JSON.parse(output.trim())).toEqual({ queued: false, value: { ok: true }, same: true });
  });

  it("ships the JSON Schema of every procedure as @cache-sync/client/schema.json", () => {
    const output = run(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `
      import { createRequire } from "node:module";
      const schema = createRequire(import.meta.url)("@cache-sync/client/schema.json");
      console.log(Object.keys(schema.procedures).sort().join(","));
    `,
      ],
      project,
    );
    expect(output.trim().split(",")).toEqual(
      expect.arrayContaining(["delete", "flush", "get", "invalidate", "set", "stats", "status", "warm"]),
    );
  });

  it("bundles for the browser with no Node built-ins (and reports its minified, gzipped size)", async () => {
    writeFileSync(
      join(project, "browser.js"),
      `import { createCacheClient } from "@cache-sync/client";\nwindow.cache = createCacheClient({ url: location.origin });\n`,
    );
    // platform "browser": an import of node:fs or any other built-in fails the build.
    const result = await build({
      entryPoints: [join(project, "browser.js")],
      bundle: true,
      minify: true,
      platform: "browser",
      format: "esm",
      write: false,
      absWorkingDir: project,
      logLevel: "silent",
    });
    const code = result.outputFiles[0]!.contents;
    expect(new TextDecoder().decode(code)).not.toMatch(/node:|require\(/);
    console.log(
      `browser bundle with createCacheClient: ${(code.length / 1024).toFixed(1)} kB minified, ${(gzipSync(code).length / 1024).toFixed(1)} kB gzipped`,
    );
  });

  it("bundles into a Worker that passes wrangler deploy --dry-run", () => {
    const worker = join(project, "worker");
    mkdirSync(worker, { recursive: true });
    writeFileSync(
      join(worker, "index.js"),
      `import { createCacheClient } from "@cache-sync/client";
export default {
  async fetch(request, env) {
    const cache = createCacheClient({ binding: env.CACHE });
    return Response.json(await cache.get(new URL(request.url).pathname.slice(1) || "home"));
  },
};
`,
    );
    writeFileSync(
      join(worker, "wrangler.jsonc"),
      JSON.stringify({
        name: "consumer-worker",
        main: "index.js",
        compatibility_date: "2026-04-01",
        services: [{ binding: "CACHE", service: "cache-sync" }],
      }),
    );
    const output = run(
      process.execPath,
      [wrangler, "deploy", "--dry-run", "--outdir", join(worker, "out"), "-c", join(worker, "wrangler.jsonc")],
      worker,
    );
    expect(output).toMatch(/--dry-run: exiting now/);
    expect(readdirSync(join(worker, "out"))).toContain("index.js");
  });

  it("type-checks createTRPCClient<AppRouter> and a TanStack Query hook with only tRPC and TanStack Query beside it", () => {
    // The versions @trpc/tanstack-react-query pins today, which differ from the server's tRPC patch:
    // the SDK's ^11 range must share their @trpc/server rather than bring a second copy.
    run(
      "npm",
      [
        "install",
        "--prefer-offline",
        "--ignore-scripts",
        "@trpc/client@11.22.1",
        "@trpc/tanstack-react-query@11.22.1",
        "@tanstack/react-query@5",
      ],
      project,
    );
    copyFileSync(join(sdkRoot, "test/types/trpc-interop.ts"), join(project, "trpc-interop.ts"));
    writeFileSync(join(project, "tsconfig.trpc.json"), tsconfig(["trpc-interop.ts"], { skipLibCheck: true }));
    expect(() => run(process.execPath, [tsc, "-p", "tsconfig.trpc.json"], project)).not.toThrow();
    expect(run("npm", ["ls", "@trpc/server", "--all", "--parseable"], project).trim().split("\n")).toHaveLength(1);
  });
});
