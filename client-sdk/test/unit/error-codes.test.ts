// The SDK's copy of the error contract is generated from contracts/schema/procedures.json; this
// fails when the contract changed and `npm run generate -w client-sdk` was not run.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error plain JavaScript script without declarations
import { generateErrorCodes, outputPath } from "../../scripts/generate-error-codes.mjs";

describe("src/generated/error-codes.ts", () => {
  it("matches the error contract", () => {
    expect(readFileSync(outputPath as string, "utf8")).toBe((generateErrorCodes as () => string)());
  });
});
