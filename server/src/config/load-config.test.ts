import { describe, expect, it } from "vitest";
import { CacheError } from "../errors.ts";
import { loadConfig, namespaceSettings } from "./load-config.ts";

function failure(raw: unknown): string {
  try {
    loadConfig(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(CacheError);
    return (error as CacheError).message;
  }
  throw new Error("expected the config to be refused");
}

describe("CACHE_CONFIG", () => {
  it("accepts the var as a JSON string (env file) and as an object (wrangler.jsonc)", () => {
    const asObject = { namespaces: { products: { shards: 4 } } };
    expect(loadConfig(JSON.stringify(asObject)).namespaces.products?.shards).toBe(4);
    expect(loadConfig(asObject).namespaces.products?.shards).toBe(4);
  });

  it("fills in the documented defaults", () => {
    const settings = namespaceSettings(loadConfig("{}"), "anything");
    expect(settings).toMatchObject({ shards: 8, maxValueBytes: 1024 * 1024, publicRead: false });
    expect(settings.writeBehind).toBeUndefined();
  });

  it("unknown namespaces use namespaces.default", () => {
    const config = loadConfig({ namespaces: { default: { shards: 3 }, other: { shards: 5 } } });
    expect(namespaceSettings(config, "unlisted").shards).toBe(3);
    expect(namespaceSettings(config, "other").shards).toBe(5);
  });

  it("unlisted namespaces take default's settings except publicRead (issue: hostile traffic, 7)", () => {
    const config = loadConfig({
      namespaces: { default: { publicRead: true, shards: 3, purgeTargets: [{ url: "https://purge.example/x" }] } },
    });
    expect(namespaceSettings(config, "default").publicRead).toBe(true);
    const unlisted = namespaceSettings(config, "unlisted");
    expect(unlisted).toMatchObject({ publicRead: false, shards: 3, purgeTargets: [{ url: "https://purge.example/x" }] });
    // Names an object has by inheritance are not configured namespaces either.
    expect(namespaceSettings(config, "constructor")).toBe(unlisted);
  });

  it("an origin's body bound defaults to the namespace's maxValueBytes", () => {
    const config = loadConfig({
      namespaces: {
        a: { maxValueBytes: 5_000, origin: { url: "https://o.example/{key}" } },
        b: { origin: { url: "https://o.example/{key}", maxBodyBytes: 77 } },
      },
    });
    expect(namespaceSettings(config, "a").origin?.maxBodyBytes).toBe(5_000);
    expect(namespaceSettings(config, "b").origin?.maxBodyBytes).toBe(77);
  });

  it("names the path of a bad field", () => {
    expect(failure({ namespaces: { products: { shards: "eight" } } })).toMatch(/CACHE_CONFIG is invalid: namespaces\.products\.shards/);
    expect(failure({ namespaces: { products: { origin: { url: "ftp://x/{key}" } } } })).toMatch(/namespaces\.products\.origin\.url/);
    expect(failure({ namespaces: { products: { origin: { url: "https://api.example.com/items" } } } })).toMatch(/must contain \{key\}/);
    expect(failure({ namespaces: { products: { writeBehind: { sink: "http" } } } })).toMatch(/writeBehind\.url/);
    expect(failure({ namespaces: { products: { shardz: 3 } } })).toMatch(/namespaces\.products.*shardz/);
  });

  it("says when the var is not JSON at all", () => {
    expect(failure("{namespaces: nope")).toMatch(/not valid JSON/);
  });
});
