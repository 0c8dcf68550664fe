#!/usr/bin/env node
// `npm run typecheck`: every workspace's TypeScript projects, as many at a time as there are
// cores. `tsc` is TypeScript 7 (`typescript-native`, the native compiler: ~0.5 s a project; with
// TypeScript 5.9 the same checks took ~47 s on 2 cores). TypeScript 5.9 stays installed as
// `typescript` for the code that uses the compiler API (the SDK's wire-type generator, its JSDoc test).
// The SDK is built (dist, checked by publint) before the one project that type-checks against
// its published declarations (examples/service-binding, cli). Output is shown for failures only.
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
// By path: `typescript` (5.9) and `typescript-native` both install a `tsc` bin, and which one
// node_modules/.bin/tsc links to depends on install order.
const nativeTsc = fileURLToPath(new URL("../../node_modules/typescript-native/bin/tsc", import.meta.url));
const tsc = (project) => [process.execPath, nativeTsc, "-p", project];

/** Each job is a list of commands run in order; jobs run side by side. */
const jobs = [
  [tsc("contracts")],
  [tsc("contracts/tsconfig.node.json")],
  [tsc("dev-kit")],
  [tsc("server")],
  [tsc("server/tsconfig.node.json")],
  [tsc("dashboard")],
  [tsc("dashboard/tsconfig.node.json")],
  // build:dist, not build: regenerating the wire types here would hide a stale file from its test.
  [
    tsc("client-sdk/tsconfig.json"),
    tsc("client-sdk/tsconfig.node.json"),
    ["npm", "run", "build:dist", "-w", "client-sdk"],
    tsc("examples/service-binding"),
    tsc("cli"),
  ],
  [tsc("examples/product-api")],
  [tsc("examples/node-backend")],
  [tsc("examples/offline-notes")],
  [tsc("examples/user-profile")],
  [tsc("bench")],
  [tsc("bench/tsconfig.worker.json")],
];

function run([program, ...args]) {
  return new Promise((resolve) => {
    const child = spawn(program, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (code) => resolve({ ok: code === 0, output }));
  });
}

const failures = [];
let next = 0;
async function worker() {
  while (next < jobs.length) {
    const job = jobs[next++];
    for (const command of job) {
      const { ok, output } = await run(command);
      if (!ok) {
        failures.push(`✗ ${command.join(" ")}\n${output}`);
        break;
      }
    }
  }
}
await Promise.all(Array.from({ length: Math.max(1, availableParallelism()) }, worker));
if (failures.length > 0) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`typecheck: ${jobs.flat().length} commands passed`);
