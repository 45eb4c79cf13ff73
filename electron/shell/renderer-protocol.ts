/**
 * Serves the built dashboard (out/renderer) on app://candlekeep/ instead of file:// (Electron security:
 * "Avoid usage of the file:// protocol and prefer usage of custom protocols"): file:// pages can read
 * any local file the user can, a custom scheme serves only this folder. Every response carries the
 * CSP header ("Define a Content Security Policy") and nosniff.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { CustomScheme } from 'electron';
import type { ProtocolLike } from './electron-api.js';
import { APP_HOST, APP_SCHEME, RENDERER_CSP } from './security.js';

/**
 * standard: relative URLs and a real origin for 'self' in the CSP; secure: counts as a secure context.
 * No bypassCSP, no corsEnabled, no service workers: the scheme gets nothing extra.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** The file a request maps to inside `rendererDir`, or null for anything outside it or malformed. */
export function rendererFileFor(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  return file.startsWith(root + path.sep) ? file : null;
}

function headers(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': RENDERER_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
}

export async function rendererResponse(
  rendererDir: string,
  request: Pick<Request, 'url' | 'method'>,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return new Response('method not allowed', { status: 405, headers: headers('text/plain') });
  const file = rendererFileFor(rendererDir, request.url);
  if (!file) return new Response('not found', { status: 404, headers: headers('text/plain') });
  try {
    const body = await fs.readFile(file);
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: headers(MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream'),
    });
  } catch {
    const missingIndex = path.basename(file) === 'index.html';
    const text = missingIndex
      ? 'The dashboard is not built: run `npm start` (it builds it) or `npm run build`.'
      : 'not found';
    return new Response(text, { status: 404, headers: headers('text/plain; charset=utf-8') });
  }
}

/** Must run after app 'ready'; the scheme itself is registered as privileged before 'ready'. */
export function serveRenderer(protocol: Pick<ProtocolLike, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => rendererResponse(rendererDir, request));
}
