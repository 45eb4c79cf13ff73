/**
 * Builds the `candlekeep` command into out/cli as plain JavaScript (esbuild), so it starts without a
 * TypeScript loader. One chunk per command: main.js loads a command's code (the engine, the server,
 * ccxt) only when that command runs. Dependencies stay in node_modules.
 * Run by `npm install` (prepare), `npm run build:cli`, and before the tests and benches that spawn it.
 * `tsx electron/cli/build.ts` builds once.
 */
import { build, type Plugin } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rewriteFileUrls } from '../shell/tooling/file-urls.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI_OUT_DIR = path.join(ROOT, 'out/cli');

/** Relative file URLs in the sources keep pointing at the same files from out/cli. */
const fileUrls: Plugin = {
  name: 'candlekeep:keep-file-urls-pointing',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const code = await fs.promises.readFile(args.path, 'utf8');
      const rewritten = rewriteFileUrls(code, args.path, CLI_OUT_DIR);
      return rewritten === null ? undefined : { contents: rewritten, loader: 'ts' };
    });
  },
};

export async function buildCli(): Promise<void> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: {
      main: 'electron/cli/main.ts',
      // Workers start from the files beside their callers' chunks (electron/worker-thread.ts): the
      // archive reader's and the kline pages' (sources/), the read pool's (server/read-pool.ts).
      'archive-read-worker': 'electron/sources/archive-read-worker.ts',
      'kline-page-worker': 'electron/sources/kline-page-worker.ts',
      'read-worker': 'electron/server/read-worker.ts',
    },
    outdir: CLI_OUT_DIR,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    metafile: true,
    logLevel: 'warning',
    plugins: [fileUrls],
  });
  // Chunks are named by their content: drop those of earlier builds.
  const current = new Set(Object.keys(result.metafile.outputs).map((file) => path.resolve(ROOT, file)));
  for (const name of fs.readdirSync(CLI_OUT_DIR)) {
    const file = path.join(CLI_OUT_DIR, name);
    if (!current.has(file)) fs.rmSync(file, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildCli();
}
