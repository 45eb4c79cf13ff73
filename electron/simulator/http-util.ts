/** Tiny helpers for the simulator's plain node:http handlers. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface SimRequest {
  method: string;
  /** Path below the venue prefix, e.g. '/api/v3/klines'. */
  path: string;
  query: URLSearchParams;
  raw: IncomingMessage;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is (text/plain); anything else as JSON. */
  body: unknown;
  /** Pre-serialized JSON, sent as application/json (hot paths build it by hand). */
  json?: string | Buffer;
}

export function send(res: ServerResponse, out: SimResponse): void {
  const isJson = out.json !== undefined || typeof out.body !== 'string';
  const text = out.json ?? (typeof out.body === 'string' ? out.body : JSON.stringify(out.body));
  res.writeHead(out.status, {
    'Content-Type': isJson ? 'application/json;charset=UTF-8' : 'text/plain;charset=UTF-8',
    'Content-Length': Buffer.byteLength(text),
    ...out.headers,
  });
  res.end(text);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Format an integer count of 10^-decimals units as a fixed-point decimal string, exactly. */
export function fixed(units: number, decimals: number, outDecimals = 8): string {
  const scale = 10 ** decimals;
  const whole = Math.floor(units / scale);
  const frac = String(units - whole * scale).padStart(decimals, '0');
  return `${whole}.${(frac + '00000000').slice(0, outDecimals)}`;
}
