/**
 * Real recorded API responses, read in place from ../shared/fixtures (beside the repository; never
 * copied into it). Three recorder formats are normalized to one shape: ExVCR JSON (Binance),
 * yahoo-finance2's own JSON (Yahoo) and vcrpy YAML with gzip+base64 bodies (CoinGecko). Tests that
 * need them skip with FIXTURES_MISSING as the reason when the folder is absent.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';

export const FIXTURES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures');

/** Why fixture tests are skipped, or null when the fixtures are there. */
export const FIXTURES_MISSING: string | null = fs.existsSync(FIXTURES_DIR)
  ? null
  : `skipped: ${FIXTURES_DIR} is absent`;

/** One recorded exchange, normalized. */
export interface Recorded {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Recorded files of one API folder (e.g. 'yahoo'), README excluded. */
export function fixtureFiles(api: string): string[] {
  return fs
    .readdirSync(path.join(FIXTURES_DIR, api))
    .filter((f) => !/^readme/i.test(f))
    .sort();
}

const flatHeaders = (h: Record<string, unknown> = {}): Record<string, string> =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? String(v[0]) : String(v)]));

/** The exchange recorded in `api/file` (the first one when a cassette holds several). */
export function recorded(api: string, file: string): Recorded {
  const text = fs.readFileSync(path.join(FIXTURES_DIR, api, file), 'utf8');
  if (file.endsWith('.yaml')) return fromVcrpy(text);
  const data = JSON.parse(text) as unknown;
  if (Array.isArray(data)) {
    // ExVCR: [{request:{url}, response:{body, headers, status_code}}]
    const { request, response } = data[0] as {
      request: { url: string };
      response: { body: string; headers: Record<string, unknown>; status_code: number };
    };
    return {
      url: request.url,
      status: response.status_code,
      headers: flatHeaders(response.headers),
      body: response.body,
    };
  }
  // yahoo-finance2: {request:{url}, response:{status, headers, body | bodyJson}}
  const { request, response } = data as {
    request: { url: string };
    response: { status: number; headers: Record<string, unknown>; body?: string; bodyJson?: unknown };
  };
  return {
    url: request.url,
    status: response.status,
    headers: flatHeaders(response.headers),
    body: response.body ?? JSON.stringify(response.bodyJson),
  };
}

/** Just enough of a vcrpy cassette: the first interaction's uri, status code, headers and body. */
function fromVcrpy(text: string): Recorded {
  const url = /^\s+uri: (.+)$/m.exec(text)?.[1]?.trim() ?? '';
  const status = Number(/^\s+status:\s*\n\s+code: (\d+)/m.exec(text)?.[1]);
  const headers: Record<string, string> = {};
  const headerBlock = /^ {4}headers:\n((?: {6}.*\n)+)/m.exec(text.slice(text.indexOf('response:')))?.[1] ?? '';
  for (const m of headerBlock.matchAll(/^ {6}([\w-]+):\n {6}- '?([^'\n]*)'?$/gm)) headers[m[1]!.toLowerCase()] = m[2]!;
  const binary = /string: !!binary \|\n((?: {8}.+\n)+)/.exec(text)?.[1];
  let body = Buffer.from((binary ?? '').replace(/\s+/g, ''), 'base64');
  if (headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
  return { url, status, headers, body: body.toString('utf8') };
}

/**
 * A loopback server answering every request with one recorded response (status, content type and
 * body as recorded), so a source can be run against the real bytes.
 */
export async function replay(rec: Recorded): Promise<{ url: string; paths: string[]; close: () => Promise<void> }> {
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    paths.push(req.url ?? '');
    res.writeHead(rec.status, {
      'Content-Type': rec.headers['content-type'] ?? 'application/json',
      ...(rec.headers['retry-after'] ? { 'Retry-After': rec.headers['retry-after'] } : {}),
    });
    res.end(rec.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    paths,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
