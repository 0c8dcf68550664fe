/**
 * `npm run bench [-- --quick]`: runs every scenario, prints one table and writes
 * bench/results.json (every figure, the machine's CPU count and the date).
 */
import { fileURLToPath } from "node:url";
import { stopRunningEnvironments } from "./environment.ts";
import { runBench, SCENARIO_GROUPS, type ScenarioGroup } from "./run-bench.ts";

// wrangler dev runs in its own process group: stop it on Ctrl-C rather than leave it behind.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`${signal}: stopping the servers…`);
    void stopRunningEnvironments().finally(() => process.exit(130));
  });
}

const quick = process.argv.includes("--quick");
// --only=hits,herd runs some scenario groups (for iterating on one; the README's table is a full run).
const onlyArg = process.argv.find((arg) => arg.startsWith("--only="));
const only = onlyArg?.slice("--only=".length).split(",") as ScenarioGroup[] | undefined;
const unknown = only?.filter((group) => !SCENARIO_GROUPS.includes(group));
if (unknown?.length) throw new Error(`--only: unknown group(s) ${unknown.join(", ")}; known: ${SCENARIO_GROUPS.join(", ")}`);
const resultsPath = fileURLToPath(new URL("../results.json", import.meta.url));
const results = await runBench({ quick, resultsPath, ...(only ? { only } : {}) });
const { machine } = results;
console.log(`\n${results.table}\n`);
console.log(
  `${results.mode} run, ${results.date}, ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, wrangler ${machine.wrangler}; took ${results.durationSeconds} s`,
);
console.log(`every figure: ${resultsPath}`);
process.exitCode = results.scenarios.some((s) => s.status === "failed") ? 1 : 0;
