/**
 * Sources find files next to them with `new URL('../package.json', import.meta.url)` (runtime.ts reads
 * the app version that way). A bundle moves that code elsewhere (out/main/main.js, out/cli/*.js), so
 * both builds rewrite each such reference to point at the same file from the bundle's folder.
 */
import { dirname, relative, resolve, sep } from 'node:path';

const PATTERN = /new URL\((['"])(\.{1,2}\/[^'"]+)\1,\s*import\.meta\.url\)/g;

/** `code` of the file `id` with its relative file URLs made relative to `outDir`; null when nothing changed. */
export function rewriteFileUrls(code: string, id: string, outDir: string): string | null {
  if (!code.includes('import.meta.url')) return null;
  const rewritten = code.replace(PATTERN, (_all: string, quote: string, rel: string) => {
    const fromOut = relative(outDir, resolve(dirname(id), rel))
      .split(sep)
      .join('/');
    return `new URL(${quote}${fromOut.startsWith('.') ? fromOut : `./${fromOut}`}${quote}, import.meta.url)`;
  });
  return rewritten === code ? null : rewritten;
}
