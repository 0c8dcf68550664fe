// GET /schema.json: the contract's JSON Schema for clients in other languages, without a token.
import { describe, expect, it } from "vitest";
import published from "../../../contracts/schema/procedures.json";
import { send } from "../../test/support/trpc-http.ts";

describe("GET /schema.json", () => {
  it("serves the JSON Schema of every procedure, the same file the SDK ships, to anyone", async () => {
    const response = await send("/schema.json", { token: null });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    expect(response.body).toEqual(published);
    expect(Object.keys(response.body.procedures)).toEqual(
      expect.arrayContaining(["get", "set", "delete", "invalidate", "status", "stats", "flush", "warm"]),
    );
    expect(response.body.procedures.set.kind).toBe("mutation");
  });
});
