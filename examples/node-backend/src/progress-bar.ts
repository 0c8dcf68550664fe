/** A terminal progress bar for an invalidation job: redrawn in place on a TTY, one line per change otherwise. */
import type { InvalidationStatus } from "@cache-sync/client";

export function progressLine(status: InvalidationStatus, width = 30): string {
  const filled = Math.round((status.progress / 100) * width);
  const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
  const targets = `${status.completedTargets}/${status.totalTargets} shards`;
  return `[${bar}] ${String(status.progress).padStart(3)}% ${status.state.padEnd(10)} ${targets}`;
}

export function progressBar(stream: NodeJS.WriteStream = process.stdout) {
  let last = "";
  return {
    update(status: InvalidationStatus): void {
      const line = progressLine(status);
      if (line === last) return;
      last = line;
      stream.write(stream.isTTY ? `\r${line}` : `${line}\n`);
    },
    done(): void {
      if (stream.isTTY && last) stream.write("\n");
    },
  };
}
