/**
 * A digest of what a database holds, every table but the audit log: a refused command may add its
 * audit row (a failed attempt is recorded) and must change nothing else.
 */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';

export function contentDigest(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const hash = createHash('sha256');
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('audit') ORDER BY name")
      .all() as Array<{ name: string }>;
    for (const { name } of tables) {
      const rows = (db.prepare(`SELECT * FROM "${name}"`).all() as unknown[]).map((r) => JSON.stringify(r)).sort();
      hash.update(`${name}\n${rows.join('\n')}\n`);
    }
    hash.update(`user_version ${String(db.pragma('user_version', { simple: true }))}`);
    return hash.digest('hex');
  } finally {
    db.close();
  }
}
