/**
 * Progress of a job on stderr: a bar redrawn in place on a terminal, one plain line per change
 * otherwise (logs, CI, pipes), so stdout stays free for the result.
 */
import type { InvalidationStatus } from "@cache-sync/client";

export interface ProgressReporter {
  update(status: InvalidationStatus): void;
  /** Ends the bar's line on a terminal; nothing otherwise. */
  finish(): void;
}

const BAR_WIDTH = 30;

export function progressBar(status: InvalidationStatus, width = BAR_WIDTH): string {
  const filled = Math.round((Math.min(100, Math.max(0, status.progress)) / 100) * width);
  return `[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${String(status.progress).padStart(3)}% ${status.state.padEnd(10)} ${counts(status)}`;
}

/** `job 3f… processing 40% (2/5 targets, 0 failed, 3 keys)` */
export function progressLine(kind: string, status: InvalidationStatus): string {
  return `${kind} ${status.id} ${status.state} ${status.progress}% (${counts(status)})`;
}

function counts(status: InvalidationStatus): string {
  return `${status.completedTargets}/${status.totalTargets} targets, ${status.failedTargets} failed, ${status.invalidatedKeys} keys`;
}

export function progressReporter(kind: string, stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  let last = "";
  const tty = stream.isTTY === true;
  return {
    update(status) {
      const line = tty ? progressBar(status) : progressLine(kind, status);
      if (line === last) return;
      last = line;
      // ECMA-48: CR returns to column 0 and "CSI 2 K" erases the line before it is redrawn.
      stream.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
    },
    finish() {
      if (tty && last !== "") stream.write("\n");
    },
  };
}
