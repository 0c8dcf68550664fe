// The SDK's types are generated from the server's router; this fails when the router changed
// and `npm run generate -w client-sdk` was not run.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error plain JavaScript script without declarations
import { generateWireTypes, outputPath } from "../../scripts/generate-wire-types.mjs";

describe("src/generated/wire-types.ts", () => {
  it("matches the server's AppRouter", () => {
    expect(readFileSync(outputPath as string, "utf8")).toBe((generateWireTypes as () => string)());
  }, 30_000);
});
