/**
 * API tokens for `serve`: each has a name and a role, and is stored only as the sha256 of its value.
 * A token is 32 random bytes, so a plain hash is as hard to reverse as guessing the token; a slow
 * password hash would only cost every request. The value exists once, in what `issue` returns.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from './database.js';
import { statementCache, type Prepare } from './statements.js';
import type { Role } from '../../shared/contract.js';

export interface TokenInfo {
  name: string;
  role: Role;
  createdAt: number;
  lastUsedAt: number | null;
}

interface TokenRow {
  name: string;
  role: Role;
  hash: string;
  created_at: number;
  last_used_at: number | null;
}

export const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Last-used times are written at most this often per token, not on every request. */
const TOUCH_EVERY_MS = 60_000;

export function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export class TokenNameTakenError extends Error {
  override name = 'TokenNameTakenError';
}

export class TokenStore {
  private readonly sql: Prepare;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  /** Create a token; the returned value is the only copy of it anywhere. */
  issue(name: string, role: Role, now: number): string {
    if (this.sql('SELECT 1 FROM tokens WHERE name = ?').get(name)) {
      throw new TokenNameTakenError(
        `a token named '${name}' exists: revoke it first ('candlekeep tokens revoke ${name}') or pick another name`,
      );
    }
    const token = `ck_${randomBytes(32).toString('base64url')}`;
    this.sql('INSERT INTO tokens (name, role, hash, created_at) VALUES (?, ?, ?, ?)').run(
      name,
      role,
      tokenHash(token).toString('hex'),
      now,
    );
    return token;
  }

  list(): TokenInfo[] {
    return (this.sql('SELECT name, role, created_at, last_used_at FROM tokens ORDER BY name').all() as TokenRow[]).map(
      (r) => ({
        name: r.name,
        role: r.role,
        createdAt: r.created_at,
        lastUsedAt: r.last_used_at,
      }),
    );
  }

  count(): number {
    return (this.sql('SELECT COUNT(*) AS n FROM tokens').get() as { n: number }).n;
  }

  /** True when a token of that name existed. */
  revoke(name: string): boolean {
    return this.sql('DELETE FROM tokens WHERE name = ?').run(name).changes > 0;
  }

  /**
   * The token a presented value is, read from the database on every call so tokens added or revoked
   * by another process count at once. Every stored hash is compared in constant time.
   */
  verify(presented: string, now: number): TokenInfo | null {
    const given = tokenHash(presented);
    let match: TokenRow | null = null;
    for (const row of this.sql('SELECT name, role, hash, created_at, last_used_at FROM tokens').all() as TokenRow[]) {
      if (timingSafeEqual(given, Buffer.from(row.hash, 'hex'))) match = row;
    }
    if (!match) return null;
    if (match.last_used_at === null || now - match.last_used_at >= TOUCH_EVERY_MS) {
      this.sql('UPDATE tokens SET last_used_at = ? WHERE name = ?').run(now, match.name);
    }
    return { name: match.name, role: match.role, createdAt: match.created_at, lastUsedAt: now };
  }
}
