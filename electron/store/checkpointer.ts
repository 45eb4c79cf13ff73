/**
 * WAL checkpoints off the main thread. SQLite normally checkpoints inside the commit that crosses
 * the WAL size threshold, which stalls the event loop (and the desktop window sharing it) for tens of
 * ms; here a worker thread with its own connection runs PASSIVE checkpoints every second instead,
 * and the main connection's automatic checkpoint stays only as a far-off safety net.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type { Db } from './database.js';

/** The worker's code: plain CommonJS, so it runs the same under Node, tsx and Electron. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true, ...(workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}) });
db.pragma('busy_timeout = 2000');
parentPort.on('message', (message) => {
  if (message === 'stop') { db.close(); parentPort.close(); return; }
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { /* busy: the next tick tries again */ }
});
`;

/** Pages the WAL may reach before a commit checkpoints by itself (the worker keeps it far below). */
const SAFETY_NET_PAGES = 20_000;
/** The same while checkpoints are held (about 1 GiB of 4 KiB pages; a six-year 1m import is ~200 MB). */
const HELD_SAFETY_NET_PAGES = 250_000;
const INTERVAL_MS = 1_000;

export class Checkpointer {
  private readonly worker: Worker;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private holds = 0;

  constructor(
    private readonly db: Db,
    file: string,
    nativeBinding?: string,
  ) {
    db.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, module, nativeBinding } });
    this.worker.unref();
    this.worker.on('error', () => undefined); // a failing checkpointer must never take the app down
    this.arm();
  }

  /** Re-arming timer (never setInterval), unref'd so it never keeps a process alive. */
  private arm(): void {
    this.timer = setTimeout(() => {
      if (this.stopped) return;
      if (!this.holds) this.worker.postMessage('checkpoint');
      this.arm();
    }, INTERVAL_MS);
    this.timer.unref();
  }

  /**
   * No checkpoints until the returned release is called (by every holder): while millions of rows
   * are written, a checkpoint beside the writer slows it by about a third (measured: `npx tsx
   * bench/run.ts archives`), and one pass afterwards copies each page once. The WAL grows meanwhile,
   * up to a far safety net.
   */
  hold(): () => void {
    if (this.holds++ === 0 && this.db.open) this.db.pragma(`wal_autocheckpoint = ${HELD_SAFETY_NET_PAGES}`);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.holds > 0 || this.stopped) return;
      if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
      this.worker.postMessage('checkpoint');
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.worker.postMessage('stop');
    await new Promise<void>((resolve) => {
      const timeout = setTimeout(() => void this.worker.terminate().then(() => resolve()), 2_000);
      this.worker.once('exit', () => {
        clearTimeout(timeout);
        resolve();
      });
    });
  }
}
