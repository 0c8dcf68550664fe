/** The exit codes scripts can rely on (documented in README.md "Exit codes"), and which error gets which. */
import type { CacheErrorCode } from "@cache-sync/client";

export const EXIT = {
  /** Done as asked. */
  ok: 0,
  /** Bad arguments, a value that is not JSON, an invalid config file, or input the server refused (400, 409, 413). */
  usage: 1,
  /** `get` of a key that is not cached (and not at the origin), `status` of an unknown job id. */
  notFound: 2,
  /** No token, an unknown token (401), or a token without the scope or namespace (403). */
  auth: 3,
  /** The server could not be reached, timed out, was rate limiting, or failed (5xx). */
  server: 4,
  /** The invalidation or warm job ended `failed`. */
  jobFailed: 5,
  /** A bug in this tool (an unexpected error); please report it. sysexits.h's EX_SOFTWARE. */
  internal: 70,
  /** Interrupted by Ctrl-C while waiting for a job (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

// Every SDK code is listed, so a new one is a type error here rather than a silent default.
const EXIT_FOR_CODE: Record<CacheErrorCode, ExitCode> = {
  BAD_REQUEST: EXIT.usage,
  PARSE_ERROR: EXIT.usage,
  CONFLICT: EXIT.usage,
  PRECONDITION_FAILED: EXIT.usage,
  PAYLOAD_TOO_LARGE: EXIT.usage,
  UNPROCESSABLE_CONTENT: EXIT.usage,
  UNSUPPORTED_MEDIA_TYPE: EXIT.usage,
  NOT_FOUND: EXIT.notFound,
  UNAUTHORIZED: EXIT.auth,
  FORBIDDEN: EXIT.auth,
  JOB_FAILED: EXIT.jobFailed,
  METHOD_NOT_SUPPORTED: EXIT.server,
  TIMEOUT: EXIT.server,
  TOO_MANY_REQUESTS: EXIT.server,
  CLIENT_CLOSED_REQUEST: EXIT.server,
  INTERNAL_SERVER_ERROR: EXIT.server,
  NOT_IMPLEMENTED: EXIT.server,
  BAD_GATEWAY: EXIT.server,
  SERVICE_UNAVAILABLE: EXIT.server,
  GATEWAY_TIMEOUT: EXIT.server,
  // The offline queue's own codes: the CLI runs without the queue, so these mean the SDK
  // misbehaved; reported as the tool's fault rather than the server's.
  QUEUE_STORAGE_FAILED: EXIT.internal,
  QUEUE_FULL: EXIT.internal,
  EXPIRED: EXIT.internal,
  NETWORK_ERROR: EXIT.server,
  ABORTED: EXIT.interrupted,
};

/** The exit code of a CacheError code; a code newer than this build counts as a server error. */
export function exitCodeFor(code: string): ExitCode {
  return EXIT_FOR_CODE[code as CacheErrorCode] ?? EXIT.server;
}
