// The published package as a consumer gets it: build (publint included), `npm pack`, install the
// tarball alone into an empty project, type-check the usage file there and import both entry points.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const sdkRoot = fileURLToPath(new URL("../..", import.meta.url));
const tsc = fileURLToPath(new URL("../../../node_modules/typescript/bin/tsc", import.meta.url));
let project: string;

const run = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } });

beforeAll(() => {
  // build:dist, not build: regenerating the wire types here would hide a stale file from wire-types.test.ts.
  run("npm", ["run", "build:dist"], sdkRoot);
  const packDir = mkdtempSync(join(tmpdir(), "sdk-pack-"));
  run("npm", ["pack", "--pack-destination", packDir], sdkRoot);
  const tarball = join(packDir, readdirSync(packDir).find((f) => f.endsWith(".tgz"))!);
  project = mkdtempSync(join(tmpdir(), "sdk-consumer-"));
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  run("npm", ["install", tarball, "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"], project);
}, 180_000);

describe("the packed @cache-sync/client", () => {
  it("ships only dist, the README and package.json", () => {
    const files = run("npm", ["pack", "--dry-run", "--json"], sdkRoot);
    const paths = (JSON.parse(files) as [{ files: { path: string }[] }])[0].files.map((f) => f.path);
    expect(paths.every((p) => p.startsWith("dist/") || p === "README.md" || p === "package.json")).toBe(true);
    expect(paths).toContain("dist/index.d.ts");
  });

  it("type-checks a usage file with full inference, with nothing but the tarball installed", () => {
    copyFileSync(join(sdkRoot, "test/types/usage.ts"), join(project, "usage.ts"));
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, lib: ["ES2023", "DOM"], types: [], skipLibCheck: false },
        files: ["usage.ts"],
      }),
    );
    // No server, no contracts, no zod in the consumer: the declarations must stand alone.
    expect(readdirSync(join(project, "node_modules/@cache-sync"))).toEqual(["client"]);
    expect(() => run(process.execPath, [tsc, "-p", "."], project)).not.toThrow();
  });

  it("imports and runs from Node through both entry points", () => {
    const output = run(
      process.execPath,
      ["--input-type=module", "-e", `
        import { createCacheClient, isCacheError, memoryStorage } from "@cache-sync/client";
        import { fileStorage } from "@cache-sync/client/node";
        const cache = createCacheClient({ url: "http://127.0.0.1:9", storage: fileStorage("./q.json"), offlineQueue: false });
        const error = await cache.get("k").catch((e) => e);
        console.log(isCacheError(error), error.code, typeof memoryStorage);
        await cache.close();
      `],
      project,
    );
    expect(output.trim()).toBe("true NETWORK_ERROR function");
  });
});
