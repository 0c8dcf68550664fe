/**
 * The origin server as a process of its own (origin-process.ts starts it): prints its address as
 * one JSON line, then serves until its parent closes stdin (or exits) or sends SIGTERM.
 */
import { startOrigin } from "./origin-server.ts";

const origin = await startOrigin();
process.stdout.write(`${JSON.stringify({ url: origin.url, port: origin.port })}\n`);
const stop = () => void origin.close().finally(() => process.exit(0));
process.stdin.on("end", stop);
process.stdin.resume();
process.once("SIGTERM", stop);
