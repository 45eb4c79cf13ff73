/** Prepared statements, prepared once per database and reused (preparing costs more than running). */
import type { Db } from './database.js';
import type { SqlStatement as Statement } from './sql-db.js';

export type Prepare = (sql: string) => Statement;

export function statementCache(db: Db): Prepare {
  const cache = new Map<string, Statement>();
  return (sql) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  };
}
