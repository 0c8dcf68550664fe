/**
 * The DO floor: a Durable Object whose one RPC method returns a constant. A request that calls it
 * pays exactly what any Durable-Object design pays (stub, RPC round trip, no storage), so the
 * cache's hit path is measured against it.
 */
import { DurableObject } from "cloudflare:workers";

export class BenchFloor extends DurableObject {
  ping(): number {
    return 1;
  }
}
