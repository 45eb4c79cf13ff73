/**
 * Plain HTTP GET over node:http/https with keep-alive, a per-request timeout and abort, returning the
 * whole body (bytes, and text on demand). Resilience (budgets, retries, breakers) wraps this; it does none itself.
 */
import http from 'node:http';
import https from 'node:https';

export interface HttpResponse {
  url: string;
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as UTF-8 text (decoded on first read: a parser of bytes never pays for it). */
  readonly body: string;
  bytes: Buffer;
  durationMs: number;
}

export interface GetOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The request never produced a complete response: connection refused or reset, DNS, timeout, abort. */
export class NetworkError extends Error {
  override name = 'NetworkError';
  constructor(
    message: string,
    readonly code: 'timeout' | 'aborted' | 'network',
  ) {
    super(message);
  }
}

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 16 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 16 }),
};

export function httpGet(url: string, options: GetOptions = {}): Promise<HttpResponse> {
  const started = performance.now();
  const target = new URL(url);
  const isHttps = target.protocol === 'https:';
  const lib = isHttps ? https : http;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new NetworkError(`request to ${target.host} aborted`, 'aborted'));
    const req = lib.request(
      target,
      {
        method: 'GET',
        agent: isHttps ? agents.https : agents.http,
        headers: { 'Accept-Encoding': 'identity', ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          cleanup();
          const bytes = Buffer.concat(chunks);
          let text: string | undefined;
          resolve({
            url,
            status: res.statusCode ?? 0,
            headers: res.headers,
            get body() {
              return (text ??= bytes.toString('utf8'));
            },
            bytes,
            durationMs: performance.now() - started,
          });
        });
        res.on('aborted', () => fail(new NetworkError(`connection to ${target.host} closed mid-response`, 'network')));
        res.on('error', (err) =>
          fail(new NetworkError(`reading from ${target.host} failed: ${err.message}`, 'network')),
        );
      },
    );
    const timer = options.timeoutMs
      ? setTimeout(
          () => fail(new NetworkError(`no response from ${target.host} within ${options.timeoutMs} ms`, 'timeout')),
          options.timeoutMs,
        )
      : undefined;
    const onAbort = (): void => fail(new NetworkError(`request to ${target.host} aborted`, 'aborted'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    function cleanup(): void {
      settled = true;
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
    function fail(err: NetworkError): void {
      if (settled) return;
      cleanup();
      req.destroy();
      reject(err);
    }
    req.on('error', (err: NodeJS.ErrnoException) =>
      fail(new NetworkError(`cannot reach ${target.host}: ${err.code ?? err.message}`, 'network')),
    );
    req.end();
  });
}
