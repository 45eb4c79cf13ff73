/**
 * What a browser must not be able to do to a local server: reach it under a name that is not its own
 * (DNS rebinding: a page whose name resolves to 127.0.0.1 is same-origin with us), or make it act from
 * another site's page (a cross-site form or no-cors fetch is sent with the user's network position,
 * and WebSockets ignore the same-origin policy). Tools that send no Origin (curl, ccxt) are not
 * browsers and pass the origin check.
 */
import os from 'node:os';
import { isLoopback } from './loopback.js';

export type RefusalReason =
  'bad_host' | 'bad_origin' | 'bad_content_type' | 'missing_token' | 'wrong_token' | 'wrong_role';

export interface Refusal {
  status: number;
  reason: RefusalReason;
  message: string;
}

export interface GuardOptions {
  /** The address the server is bound to. */
  bindHost: string;
  /** The port it listens on (known once listening). */
  port: () => number;
  /** Extra names the server answers to, on any port (a reverse proxy's, a LAN name). */
  allowHosts?: string[];
  /** Extra origins whose pages may call the server (`https://tools.example:8443`). */
  allowOrigins?: string[];
}

const LOOPBACK_NAMES = ['127.0.0.1', '[::1]', 'localhost'];
const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/** `name` and `port` of a Host header (`[::1]:8137`, `localhost:8137`, `example.lan`); names lower-case, no trailing dot. */
export function splitHost(header: string): { name: string; port: number | null } | null {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(header.trim());
  if (!match) return null;
  return { name: match[1]!.toLowerCase().replace(/\.$/, ''), port: match[2] === undefined ? null : Number(match[2]) };
}

const bracketed = (address: string): string => (address.includes(':') ? `[${address}]` : address);

/** The names a bind answers to on its own port: loopback names on loopback, the bound address, every local address on a wildcard. */
function ownNames(bindHost: string): Set<string> {
  const names = new Set<string>();
  if (isLoopback(bindHost) || WILDCARDS.has(bindHost)) for (const n of LOOPBACK_NAMES) names.add(n);
  if (WILDCARDS.has(bindHost)) {
    for (const list of Object.values(os.networkInterfaces()))
      for (const i of list ?? []) names.add(bracketed(i.address.toLowerCase()));
  } else {
    names.add(bracketed(bindHost.toLowerCase()));
  }
  return names;
}

export function isJsonContentType(header: string | undefined): boolean {
  return (header ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

export class RequestGuard {
  private readonly names: Set<string>;
  private readonly extraHosts: Set<string>;
  private readonly origins: Set<string>;

  constructor(private readonly options: GuardOptions) {
    this.names = ownNames(options.bindHost);
    this.extraHosts = new Set((options.allowHosts ?? []).map((h) => h.toLowerCase().replace(/\.$/, '')));
    this.origins = new Set((options.allowOrigins ?? []).map((o) => o.toLowerCase()));
  }

  /** Null when `Host` names this server; a 403 otherwise. */
  checkHost(header: string | undefined): Refusal | null {
    const host = header ? splitHost(header) : null;
    if (host && this.extraHosts.has(host.name)) return null;
    if (host && this.names.has(host.name) && (host.port ?? 80) === this.options.port()) return null;
    return {
      status: 403,
      reason: 'bad_host',
      message: `Host '${(header ?? '').slice(0, 100)}' is not this server's name: open it as http://127.0.0.1:${this.options.port()}, or start serve with --allow-host NAME`,
    };
  }

  /**
   * Null when the request has no Origin (a tool, not a page) or comes from the dashboard's own origin
   * (the Host it was sent to, already checked) or an allowed one; a 403 otherwise.
   */
  checkOrigin(origin: string | undefined, hostHeader: string | undefined): Refusal | null {
    if (origin === undefined) return null;
    const lower = origin.toLowerCase();
    if (this.origins.has(lower)) return null;
    const own = /^https?:\/\/(.+)$/.exec(lower);
    if (own && hostHeader && own[1] === hostHeader.toLowerCase()) return null;
    return {
      status: 403,
      reason: 'bad_origin',
      message: `requests from pages at ${origin.slice(0, 100)} are refused: only the dashboard's own origin may call this server (or start serve with --allow-origin ORIGIN)`,
    };
  }

  /** A POST to the contract must be JSON: forms and no-cors fetches can only send text/plain, urlencoded or multipart. */
  checkJsonBody(contentType: string | undefined): Refusal | null {
    if (isJsonContentType(contentType)) return null;
    return {
      status: 415,
      reason: 'bad_content_type',
      message: `POST /api/* needs Content-Type: application/json (got ${contentType ? `'${contentType.slice(0, 60)}'` : 'none'})`,
    };
  }
}
