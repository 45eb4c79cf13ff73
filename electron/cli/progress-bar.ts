/** A one-line progress bar redrawn in place on a terminal; silent when stderr is not a TTY. */
import type { BackfillProgress } from '../engine/backfill.js';

export function formatProgress(p: BackfillProgress, width = 24): string {
  const ratio = p.windowsTotal ? p.windowsDone / p.windowsTotal : 1;
  const filled = Math.round(ratio * width);
  const eta = p.etaSec === null ? '' : ` ETA ${Math.ceil(p.etaSec)}s`;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(ratio * 100)}% ${p.candlesStored.toLocaleString('en-US')} candles ${Math.round(p.rate).toLocaleString('en-US')}/s${eta}`;
}

export function progressBar(stream: NodeJS.WritableStream & { isTTY?: boolean }): {
  update(p: BackfillProgress): void;
  done(): void;
} {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let drawn = false;
  return {
    update(p) {
      stream.write(`\r\x1b[2K${formatProgress(p)}`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
