/**
 * `runInDurableObject` for the test Worker's objects: the bindings are typed with the production
 * classes (worker-configuration.d.ts), while the instances the tests reach are their test
 * subclasses (test/worker/), which expose clocks, the refresh-ahead coin and the load coalescer.
 */
import { runInDurableObject } from "cloudflare:test";
import type { Coordinator } from "../../src/coordinator/coordinator.ts";
import type { CacheShard } from "../../src/shard/cache-shard.ts";
import type { TestCacheShard } from "../worker/test-cache-shard.ts";
import type { TestCoordinator } from "../worker/test-coordinator.ts";

export function inShard<R>(
  stub: DurableObjectStub<CacheShard>,
  work: (shard: TestCacheShard, state: DurableObjectState) => R | Promise<R>,
): Promise<R> {
  return runInDurableObject(stub, (shard: CacheShard, state) => work(shard as TestCacheShard, state));
}

export function inCoordinator<R>(
  stub: DurableObjectStub<Coordinator>,
  work: (coordinator: TestCoordinator, state: DurableObjectState) => R | Promise<R>,
): Promise<R> {
  return runInDurableObject(stub, (coordinator: Coordinator, state) => work(coordinator as TestCoordinator, state));
}
