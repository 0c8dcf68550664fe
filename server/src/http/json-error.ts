/**
 * The error envelope (contracts/src/errors.ts `errorEnvelope`) for errors answered outside tRPC
 * (the gate, the proxy, the short path, unknown routes), in the shape tRPC uses, so a client reads
 * `error.data.code` and `error.message` the same way everywhere.
 */
import type { ErrorDetails, ErrorEnvelope } from "@cache-sync/contracts";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import { httpStatus as statusOf, type ErrorCode } from "../errors.ts";

export function jsonError(
  code: ErrorCode,
  message: string,
  options: { details?: ErrorDetails | undefined; headers?: HeadersInit; path?: string | undefined; requestId?: string } = {},
): Response {
  const httpStatus = statusOf(code);
  const envelope: ErrorEnvelope = {
    error: {
      message,
      code: TRPC_ERROR_CODES_BY_KEY[code],
      data: {
        code,
        httpStatus,
        ...(options.path !== undefined && { path: options.path }),
        ...(options.requestId !== undefined && { requestId: options.requestId }),
        ...(options.details && { details: options.details }),
      },
    },
  };
  return Response.json(envelope, { status: httpStatus, headers: options.headers });
}
