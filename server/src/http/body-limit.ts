/**
 * Refuses oversized request bodies before anything parses them: by Content-Length when given,
 * by counting otherwise. Locally workerd buffers any body whole, so this is our only bound.
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { jsonError } from "./json-error.ts";

export function limitBody(maxBytes: () => number): MiddlewareHandler {
  return async (c, next) => {
    const limit = maxBytes();
    return bodyLimit({
      maxSize: limit,
      onError: () =>
        jsonError("PAYLOAD_TOO_LARGE", `request body is larger than ${limit} bytes; values are limited per namespace (maxValueBytes)`),
    })(c, next);
  };
}
