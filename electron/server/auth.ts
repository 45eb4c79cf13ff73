/**
 * Who is calling the server, from the token it presents: `Authorization: Bearer T`, `?token=T` (the
 * dashboard's first load) or the HttpOnly cookie that load set. Stored tokens are looked up in the
 * database on every request, so `candlekeep tokens add|revoke` count at once while serve runs; the
 * run's own `--token` is an admin token. Without a token, a loopback server that does not require one
 * serves its own dashboard and local tools as before, as the actor `dashboard`.
 */
import type http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { TokenStore } from '../store/token-store.js';
import { tokenHash } from '../store/token-store.js';
import type { Clock } from '../net/clock.js';
import type { Caller } from './caller.js';
import type { Refusal } from './request-guard.js';

export const TOKEN_COOKIE = 'candlekeep_token';

/** The actor of the run's `--token` / CANDLEKEEP_TOKEN. */
export const RUN_TOKEN_ACTOR = 'token:--token';

export interface AuthOptions {
  tokens: TokenStore;
  clock: Clock;
  /** `--token` / CANDLEKEEP_TOKEN: an admin token for this run only, never stored. */
  runToken?: string;
  /** Every request but /healthz must carry a token. */
  requireToken: boolean;
}

/** Where a token came from: a valid one from the query is what the dashboard's cookie is set from. */
export type TokenSource = 'header' | 'query' | 'cookie';

export type Identity = { caller: Caller; via: TokenSource | null } | { refusal: Refusal };

export function presentedToken(req: http.IncomingMessage, url: URL): { token: string; via: TokenSource } | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return { token: auth.slice(7).trim(), via: 'header' };
  const query = url.searchParams.get('token');
  if (query) return { token: query, via: 'query' };
  const cookie = (req.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${TOKEN_COOKIE}=`));
  return cookie ? { token: decodeURIComponent(cookie.slice(TOKEN_COOKIE.length + 1)), via: 'cookie' } : null;
}

export class Authenticator {
  private readonly runTokenHash: Buffer | null;

  constructor(private readonly options: AuthOptions) {
    this.runTokenHash = options.runToken ? tokenHash(options.runToken) : null;
  }

  get requireToken(): boolean {
    return this.options.requireToken;
  }

  identify(req: http.IncomingMessage, url: URL): Identity {
    const remote = req.socket.remoteAddress ?? null;
    const presented = presentedToken(req, url);
    if (presented === null) {
      if (!this.options.requireToken) return { caller: { actor: 'dashboard', role: 'admin', remote }, via: null };
      return {
        refusal: {
          status: 401,
          reason: 'missing_token',
          message:
            'this Candlekeep server needs a token: send Authorization: Bearer <token> or open the dashboard with ?token=<token>',
        },
      };
    }
    const { token, via } = presented;
    // Hashes of equal length, compared in constant time: the run token's length stays secret too.
    if (this.runTokenHash && timingSafeEqual(tokenHash(token), this.runTokenHash))
      return { caller: { actor: RUN_TOKEN_ACTOR, role: 'admin', remote }, via };
    const stored = this.options.tokens.verify(token, this.options.clock.now());
    if (stored) return { caller: { actor: `token:${stored.name}`, role: stored.role, remote }, via };
    return {
      refusal: {
        status: 401,
        reason: 'wrong_token',
        message: "this token is not valid here (unknown or revoked): see 'candlekeep tokens list'",
      },
    };
  }
}
