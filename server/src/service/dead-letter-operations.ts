/**
 * The admin's view of write-behind dead letters, over every shard of a namespace: list them,
 * replay them (back to the outbox, flushed again) or drop them. A key's dead letters stay on the
 * shard that held its outbox row, which may not be the key's shard today (`shards` can change),
 * so every call asks every shard.
 */
import type {
  DeadLetterSelection,
  DeadLettersRequest,
  DeadLettersResult,
  DropDeadLettersResult,
  ReplayDeadLettersResult,
} from "@cache-sync/contracts";
import { namespaceSettings } from "../config/load-config.ts";
import { CacheError, unwrap } from "../errors.ts";
import { allShards } from "../routing/shard-stub.ts";
import type { OperationContext } from "./cache-operations.ts";

export async function listDeadLetters({ env, config }: OperationContext, request: DeadLettersRequest): Promise<DeadLettersResult> {
  const perShard = (await Promise.all(allShards(env, config, request.namespace).map((shard) => shard.deadLetters(request)))).map(unwrap);
  const deadLetters = perShard
    .flatMap((shard) => shard.deadLetters)
    .sort((a, b) => a.deadAt - b.deadAt)
    .slice(0, request.limit);
  return { total: perShard.reduce((sum, shard) => sum + shard.total, 0), deadLetters };
}

export async function replayDeadLetters(
  { env, config }: OperationContext,
  selection: DeadLetterSelection,
): Promise<ReplayDeadLettersResult> {
  requireWriteBehind(config, selection.namespace);
  const perShard = (await Promise.all(allShards(env, config, selection.namespace).map((shard) => shard.replayDeadLetters(selection)))).map(
    unwrap,
  );
  return perShard.reduce((sum, o) => ({ replayed: sum.replayed + o.replayed, superseded: sum.superseded + o.superseded }), {
    replayed: 0,
    superseded: 0,
  });
}

export async function dropDeadLetters({ env, config }: OperationContext, selection: DeadLetterSelection): Promise<DropDeadLettersResult> {
  const perShard = (await Promise.all(allShards(env, config, selection.namespace).map((shard) => shard.dropDeadLetters(selection)))).map(
    unwrap,
  );
  return { dropped: perShard.reduce((sum, o) => sum + o.dropped, 0) };
}

/** Replaying into a namespace without write-behind would strand the records in an outbox nothing flushes. */
function requireWriteBehind(config: OperationContext["config"], namespace: string): void {
  if (namespaceSettings(config, namespace).writeBehind === undefined) {
    throw new CacheError("BAD_REQUEST", `namespace "${namespace}" has no writeBehind configured: a replayed record would never be flushed`);
  }
}
