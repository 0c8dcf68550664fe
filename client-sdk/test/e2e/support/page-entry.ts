/** What the test page loads: the SDK (from source) and the shared workload. */
export * from "../../../src/index.ts";
export { queueWorkload } from "./workload.ts";
