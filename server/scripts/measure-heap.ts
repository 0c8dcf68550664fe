/**
 * Measures the V8 heap that parsed JSON values of several shapes take, and compares it with
 * estimateHeapBytes (src/memory/heap-size.ts) and with the JSON length the memory bounds used to
 * count. Run with: node --expose-gc --import tsx server/scripts/measure-heap.ts
 * Each shape is parsed in its own child process so that one shape's garbage does not blur another's.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { estimateHeapBytes } from "../src/memory/heap-size.ts";

const SHAPES: Record<string, () => string> = {
  "[{},…] (1 MB)": () => `[${Array(333_000).fill("{}").join(",")}]`,
  "[[],…]": () => `[${Array(250_000).fill("[]").join(",")}]`,
  "small integers": () => JSON.stringify(Array.from({ length: 200_000 }, (_, i) => i % 1000)),
  doubles: () => JSON.stringify(Array.from({ length: 100_000 }, (_, i) => i + 0.5)),
  "short strings": () => JSON.stringify(Array.from({ length: 100_000 }, (_, i) => `s${i}`)),
  "one long string": () => JSON.stringify("x".repeat(1_000_000)),
  "one long non-Latin-1 string": () => JSON.stringify("€".repeat(300_000)),
  booleans: () => JSON.stringify(Array.from({ length: 200_000 }, (_, i) => i % 2 === 0)),
  "objects {a, b}": () => JSON.stringify(Array.from({ length: 50_000 }, (_, i) => ({ a: i, b: "x" }))),
  "product records": () =>
    JSON.stringify(
      Array.from({ length: 10_000 }, (_, i) => ({
        id: i,
        name: `product ${i}`,
        price: 12.5 + i,
        tags: ["a", "b"],
        inStock: true,
        meta: null,
      })),
    ),
  "one object, 20,000 keys": () => JSON.stringify(Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i]))),
  "deep nesting (10,000)": () => "[".repeat(10_000) + "]".repeat(10_000),
};

const gc = (globalThis as { gc?: () => void }).gc;

if (process.argv[2] === "--shape") {
  const text = SHAPES[process.argv[3]!]!();
  gc!();
  gc!();
  const before = process.memoryUsage().heapUsed;
  const kept = JSON.parse(text) as never;
  gc!();
  gc!();
  const heap = process.memoryUsage().heapUsed - before;
  process.stdout.write(JSON.stringify({ json: Buffer.byteLength(text), heap, estimate: estimateHeapBytes(kept) }));
} else {
  if (!gc) throw new Error("run with node --expose-gc --import tsx");
  console.log(`Node ${process.version}, V8 ${process.versions.v8}, ${process.arch}`);
  console.log("| shape | JSON bytes | heap bytes | heap / JSON | estimate | estimate / heap |");
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const shape of Object.keys(SHAPES)) {
    const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", fileURLToPath(import.meta.url), "--shape", shape], {
      encoding: "utf8",
    });
    const { json, heap, estimate } = JSON.parse(out) as { json: number; heap: number; estimate: number };
    console.log(
      `| ${shape} | ${json.toLocaleString("en")} | ${heap.toLocaleString("en")} | ${(heap / json).toFixed(2)} | ${estimate.toLocaleString("en")} | ${(estimate / heap).toFixed(2)} |`,
    );
  }
}
