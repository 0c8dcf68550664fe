/** Starts the local origin (in Node) on the port vitest.config.ts reserved, for the whole run. */
import { startOrigin } from "@cache-sync/dev-kit/origin-server";

export default async function setup(): Promise<() => Promise<void>> {
  const origin = await startOrigin(Number(process.env.TEST_ORIGIN_PORT));
  return () => origin.close();
}
