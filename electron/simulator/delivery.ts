/** Sending an answer, or the fault that replaces or mangles it. */
import type { ServerResponse } from 'node:http';
import { send, type SimResponse } from './http-util.js';
import { malform, type FaultRule } from './faults.js';

const CLOUDFRONT_5XX = (status: number): string =>
  `<html><head><title>${status} Service Unavailable</title></head><body><center><h1>${status}</h1></center><hr><center>CloudFront</center></body></html>`;

export function deliver(res: ServerResponse, out: SimResponse, fault: FaultRule | null): void {
  if (!fault) return send(res, out);
  switch (fault.kind) {
    case 'server_error': {
      const status = fault.status ?? 503;
      // Binance answers its own 500s with {code:-1000}; gateways in front answer with HTML.
      return status === 500
        ? send(res, { status, body: { code: -1000, msg: 'An unknown error occurred while processing the request.' } })
        : send(res, { status, body: CLOUDFRONT_5XX(status), headers: { 'Content-Type': 'text/html' } });
    }
    case 'reset':
    case 'outage':
      res.socket?.destroy();
      return;
    case 'hang':
      return; // never answer; the socket closes when the client gives up or the simulator stops
    case 'truncated':
    case 'malformed': {
      const text = bodyText(out);
      const mangled =
        fault.kind === 'truncated' ? text.slice(0, Math.max(1, Math.floor(text.length / 2))) : malform(text);
      return send(res, { ...out, body: null, json: mangled });
    }
    case 'slow_body': {
      const text = Buffer.from(bodyText(out));
      res.writeHead(out.status, {
        'Content-Type': 'application/json;charset=UTF-8',
        'Content-Length': text.length,
        ...out.headers,
      });
      const pieces = 8;
      const size = Math.ceil(text.length / pieces);
      let i = 0;
      const drip = (): void => {
        if (res.destroyed) return;
        const chunk = text.subarray(i * size, (i + 1) * size);
        i++;
        if (i >= pieces) res.end(chunk);
        else res.write(chunk, () => setTimeout(drip, 10));
      };
      return drip();
    }
    default:
      return send(res, out);
  }
}

function bodyText(out: SimResponse): string {
  if (out.json !== undefined) return out.json.toString();
  return typeof out.body === 'string' ? out.body : JSON.stringify(out.body);
}
