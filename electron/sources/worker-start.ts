/**
 * The sources' worker threads (archive reading, kline pages): how one starts, and one shared worker
 * with a fallback. The worker is the source file under tsx and vitest (tests, benches), and the built
 * file beside the bundle elsewhere: out/cli/ for the CLI (electron/cli/build.ts) and out/main/ in the
 * app (electron.vite.config.ts), each built as its own entry.
 */
import { Worker, type Transferable } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

type WorkerName = 'archive-read-worker' | 'kline-page-worker';

function startSourceWorker(name: WorkerName): Worker {
  // A template literal, not a quoted path: the build rewrites quoted `new URL` paths to the sources.
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  if (!fromSource) return new Worker(url);
  // Under tsx a worker does not inherit its loader (nor honour --import for its entry): register
  // tsx in the worker first, then load the TypeScript entry.
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json').replace(/package\.json$/, 'dist/esm/api/index.mjs')).href;
  return new Worker(`import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`, { eval: true });
}

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
    private readonly name: WorkerName,
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
      const worker = startSourceWorker(this.name);
      worker.unref();
      worker.on('message', (reply: R) => this.answer(reply));
      worker.on('error', () => this.fail());
      worker.on('exit', () => this.fail());
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
