// The SDK's copy of the error contract (src/generated/error-codes.ts) must be the contract's
// table: a change to contracts/src/errors.ts fails this type check until
// `npm run generate -w contracts && npm run generate -w client-sdk` has run (the server, which
// imports the contract itself, fails its own type check until it follows).
import type { ERROR_CODES as CONTRACT_CODES, ERROR_DETAILS, ErrorDetails } from "@cache-sync/contracts";
import type { ERROR_CODES, ErrorDetailsByCode } from "../../src/generated/error-codes.ts";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export const sameCodes: Same<typeof ERROR_CODES, typeof CONTRACT_CODES> = true;
export const sameDetails: Same<ErrorDetailsByCode, { [C in keyof typeof ERROR_DETAILS]: ErrorDetails<C> }> = true;
