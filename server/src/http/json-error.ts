/**
 * Errors answered outside tRPC (the gate, the proxy, unknown routes) in the same JSON shape tRPC
 * uses, so a client reads `error.data.code` and `error.message` the same way everywhere.
 */
import type { ErrorDetails } from "@cache-sync/contracts";
import { httpStatus as statusOf, type ErrorCode } from "../errors.ts";

// JSON-RPC numbers tRPC uses for these codes (tRPC's TRPC_ERROR_CODES_BY_KEY); the rest share -32603.
const JSON_RPC_CODE: Partial<Record<ErrorCode, number>> = {
  BAD_REQUEST: -32600,
  UNAUTHORIZED: -32001,
  FORBIDDEN: -32003,
  NOT_FOUND: -32004,
  CONFLICT: -32009,
  PAYLOAD_TOO_LARGE: -32013,
  TOO_MANY_REQUESTS: -32029,
};

export function jsonError(
  code: ErrorCode,
  message: string,
  options: { details?: ErrorDetails | undefined; headers?: HeadersInit; path?: string; requestId?: string } = {},
): Response {
  const httpStatus = statusOf(code);
  const data = {
    code,
    httpStatus,
    ...(options.path !== undefined && { path: options.path }),
    ...(options.requestId !== undefined && { requestId: options.requestId }),
    ...(options.details && { details: options.details }),
  };
  return Response.json(
    { error: { message, code: JSON_RPC_CODE[code] ?? -32603, data } },
    { status: httpStatus, headers: options.headers },
  );
}
