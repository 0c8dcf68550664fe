/**
 * The workerd tests run the test Worker (test/worker/wrangler.jsonc), not the root wrangler.jsonc.
 * This refuses to start them when the two drift apart: the same compatibility date and flags, and
 * the same bindings (the Durable Objects bound to their test subclasses, `Test<ClassName>`).
 */
import { experimental_readRawConfig } from "wrangler";

type Raw = ReturnType<typeof experimental_readRawConfig>["rawConfig"];

function shape(config: Raw, className: (name: string) => string) {
  return {
    compatibility_date: config.compatibility_date,
    compatibility_flags: config.compatibility_flags,
    assets: config.assets?.binding,
    durableObjects: config.durable_objects?.bindings.map((binding: { name: string; class_name: string }) => ({
      name: binding.name,
      class_name: className(binding.class_name),
    })),
    d1: config.d1_databases?.map((database: { binding: string; database_name?: string }) => ({
      binding: database.binding,
      name: database.database_name,
    })),
    ratelimits: config.ratelimits,
    vars: config.vars,
  };
}

export function assertTestWorkerMatches(rootConfigPath: string, testConfigPath: string): void {
  const root = JSON.stringify(shape(experimental_readRawConfig({ config: rootConfigPath }).rawConfig, (name) => `Test${name}`));
  const test = JSON.stringify(shape(experimental_readRawConfig({ config: testConfigPath }).rawConfig, (name) => name));
  if (root !== test) {
    throw new Error(`${testConfigPath} has drifted from ${rootConfigPath}:\n  root: ${root}\n  test: ${test}`);
  }
}
