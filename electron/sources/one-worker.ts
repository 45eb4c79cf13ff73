/**
 * One worker thread shared by a kind of work (archive reading, kline pages), with a fallback: work it
 * cannot do is done on the calling thread. How a worker starts: electron/worker-thread.ts.
 */
import type { Transferable, Worker } from 'node:worker_threads';

interface Waiting<P, A> {
  payload: P;
  resolve: (answer: A) => void;
  reject: (err: unknown) => void;
}

/**
 * One worker thread, started on first use; idle, it does not keep the process alive. Work it cannot
 * do (it would not start, or it died holding it) is done by `inline` on this thread instead: a worker
 * problem slows the work down, never fails it. Messages carry an `id`, and replies bring it back.
 */
export class OneWorker<P, R extends { id: number }, A> {
  private worker: Worker | null = null;
  private broken = false;
  private nextId = 1;
  private readonly pending = new Map<number, Waiting<P, A>>();

  constructor(
    private readonly start: () => Worker,
    private readonly o: { inline: (payload: P) => A | Promise<A>; answer: (reply: R, payload: P) => A },
  ) {}

  /** Send `message` (and move `transfer`) to the worker; its reply becomes the answer for `payload`. */
  run(payload: P, message: object, transfer: Transferable[] = []): Promise<A> {
    const worker = this.ensureWorker();
    if (!worker) return Promise.resolve().then(() => this.o.inline(payload));
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { payload, resolve, reject });
      worker.ref();
      worker.postMessage({ ...message, id }, transfer);
    });
  }

  /** Start the thread now, ahead of the work it will get (a thread takes tens of ms to boot). */
  boot(): void {
    this.ensureWorker();
  }

  /** Stop the worker; what it held, and everything after, is done on this thread. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.fail();
    await worker?.terminate();
  }

  private ensureWorker(): Worker | null {
    if (this.broken) return null;
    if (this.worker) return this.worker;
    try {
      const worker = this.start();
      worker.on('message', (reply: R) => this.answer(reply));
      worker.on('error', () => this.fail());
      worker.on('exit', () => this.fail());
      // After the listeners: adding a 'message' listener refs the worker again, and a worker booted
      // ahead of its work (`boot`) and never given any then kept the process from exiting.
      worker.unref();
      this.worker = worker;
      return worker;
    } catch {
      this.broken = true;
      return null;
    }
  }

  private answer(reply: R): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (!this.pending.size) this.worker?.unref();
    settle(waiting, () => this.o.answer(reply, waiting.payload));
  }

  private fail(): void {
    this.broken = true;
    this.worker = null;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const w of waiting) settle(w, () => this.o.inline(w.payload));
  }
}

function settle<P, A>(waiting: Waiting<P, A>, answer: () => A | Promise<A>): void {
  Promise.resolve().then(answer).then(waiting.resolve, waiting.reject);
}
