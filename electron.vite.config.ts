/**
 * electron-vite build of the desktop app into out/: main (ES module, as package.json is
 * "type": "module"), preload (CommonJS: sandboxed preloads cannot be ES modules) and the renderer
 * (the same dashboard vite.config.ts builds for `candlekeep serve`). Run by `npm start` through
 * electron/cli/commands/app.ts and by `npm run dist`.
 */
import { resolve, sep } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { rewriteFileUrls } from './electron/shell/tooling/file-urls.js';

const root = import.meta.dirname;
const mainOutDir = resolve(root, 'out/main');

/** The main bundle's relative file URLs, kept pointing at the same files (see shell/tooling/file-urls.ts). */
function keepFileUrlsPointing(outDir: string): Plugin {
  return {
    name: 'candlekeep:keep-file-urls-pointing',
    transform(code, id) {
      if (!id.startsWith(resolve(root, 'electron') + sep)) return null;
      const rewritten = rewriteFileUrls(code, id, outDir);
      return rewritten === null ? null : { code: rewritten, map: null };
    },
  };
}

export default defineConfig({
  main: {
    plugins: [keepFileUrlsPointing(mainOutDir)],
    build: {
      outDir: mainOutDir,
      // dependencies (better-sqlite3, zod, ...) stay in node_modules and ship in app.asar.
      externalizeDeps: true,
      rolldownOptions: {
        // Workers are files of their own beside main.js (electron/worker-thread.ts): the archive
        // reader's and the kline pages' (sources/), the server's read workers (server/read-pool.ts).
        input: {
          main: resolve(root, 'electron/main.ts'),
          'archive-read-worker': resolve(root, 'electron/sources/archive-read-worker.ts'),
          'kline-page-worker': resolve(root, 'electron/sources/kline-page-worker.ts'),
          'read-worker': resolve(root, 'electron/server/read-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // A sandboxed preload can only require('electron'): bundle everything else into the one file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { preload: resolve(root, 'electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      chunkSizeWarningLimit: 1500,
      rolldownOptions: {
        input: resolve(root, 'renderer/index.html'),
      },
    },
  },
});
