/**
 * Starting a worker thread from a module beside the caller: the TypeScript source under tsx and
 * Vitest (tests, benches), the built file beside the bundle elsewhere (out/cli, out/main), where each
 * worker is an entry of its own (electron/cli/build.ts, electron.vite.config.ts).
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** `name` is the worker module's file name without extension; `from` the caller's import.meta.url. */
export function startModuleWorker(name: string, from: string, options: WorkerOptions = {}): Worker {
  const fromSource = from.endsWith('.ts');
  // A template literal, not a quoted path: the builds rewrite quoted `new URL` paths to the sources.
  const url = new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, from);
  if (!fromSource) return new Worker(url, options);
  // Under tsx a worker does not inherit its loader (nor honour --import for its entry): register
  // tsx in the worker first, then load the TypeScript entry.
  const tsxApi = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/package.json')
      .replace(/package\.json$/, 'dist/esm/api/index.mjs'),
  ).href;
  return new Worker(
    `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`,
    { ...options, eval: true },
  );
}
