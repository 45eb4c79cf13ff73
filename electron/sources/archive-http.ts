/**
 * GET a whole binary body (archive zips) over node:http/https with keep-alive, a timeout and abort.
 * http-client.ts decodes bodies as text, which would corrupt a zip; resilience is the caller's job.
 */
import http from 'node:http';
import https from 'node:https';
import { NetworkError } from '../net/http-client.js';

export interface BytesResponse {
  status: number;
  body: Buffer;
}

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 8 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 8 }),
};

export function getBytes(url: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<BytesResponse> {
  const target = new URL(url);
  const isHttps = target.protocol === 'https:';
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new NetworkError(`request to ${target.host} aborted`, 'aborted'));
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const fail = (err: NetworkError): void =>
      finish(() => {
        req.destroy();
        reject(err);
      });
    const req = (isHttps ? https : http).request(
      target,
      { method: 'GET', agent: isHttps ? agents.https : agents.http },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => finish(() => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) })));
        res.on('aborted', () => fail(new NetworkError(`connection to ${target.host} closed mid-response`, 'network')));
        res.on('error', (err) =>
          fail(new NetworkError(`reading from ${target.host} failed: ${err.message}`, 'network')),
        );
      },
    );
    const timer = setTimeout(
      () => fail(new NetworkError(`no response from ${target.host} within ${options.timeoutMs} ms`, 'timeout')),
      options.timeoutMs,
    );
    const onAbort = (): void => fail(new NetworkError(`request to ${target.host} aborted`, 'aborted'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err: NodeJS.ErrnoException) =>
      fail(new NetworkError(`cannot reach ${target.host}: ${err.code ?? err.message}`, 'network')),
    );
    req.end();
  });
}
