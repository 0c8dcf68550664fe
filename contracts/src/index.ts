/** @cache-sync/contracts — the single source of truth for cache-sync's wire types and configuration. */
export { LIMITS, DEFAULT_NAMESPACE, utf8Bytes } from "./limits.ts";
export {
  namespaceSchema,
  keySchema,
  tagSchema,
  tagsSchema,
  jsonValueSchema,
  idempotencyKeySchema,
} from "./fields.ts";
export type { JsonValue } from "./fields.ts";
export {
  getInput,
  setInput,
  deleteInput,
  invalidateInput,
  statusInput,
  statsInput,
  flushInput,
  warmInput,
  deadLettersInput,
  deadLetterSelection,
} from "./procedures.ts";
export type {
  GetInput,
  SetInput,
  DeleteInput,
  InvalidateInput,
  StatusInput,
  StatsInput,
  FlushInput,
  WarmInput,
  GetRequest,
  SetRequest,
  DeleteRequest,
  InvalidateRequest,
  WarmRequest,
  DeadLettersInput,
  DeadLetterSelectionInput,
  DeadLettersRequest,
  DeadLetterSelection,
} from "./procedures.ts";
export {
  getResult,
  setResult,
  deleteResult,
  invalidationStatus,
  namespaceStats,
  flushResult,
  deadLetter,
  deadLettersResult,
  replayDeadLettersResult,
  dropDeadLettersResult,
} from "./results.ts";
export type {
  GetResult,
  SetResult,
  DeleteResult,
  InvalidationStatus,
  InvalidationState,
  NamespaceStats,
  FlushResult,
  GetSource,
  DeadLetter,
  DeadLettersResult,
  ReplayDeadLettersResult,
  DropDeadLettersResult,
} from "./results.ts";
export {
  cacheConfig,
  namespaceConfig,
  originConfig,
  writeBehindConfig,
  invalidationConfig,
  cacheTokens,
  tokenConfig,
  tokenScope,
} from "./config.ts";
export type {
  CacheConfig,
  CacheConfigInput,
  NamespaceConfig,
  NamespaceConfigInput,
  OriginConfig,
  WriteBehindConfig,
  InvalidationConfig,
  TokenConfig,
  TokenScope,
} from "./config.ts";
