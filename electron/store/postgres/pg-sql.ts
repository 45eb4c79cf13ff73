/**
 * The store's SQL as PostgreSQL takes it. The stores write SQL both dialects accept (ON CONFLICT,
 * IS [NOT] DISTINCT FROM, RETURNING, quoted camelCase aliases); what is left to change is done here,
 * once per statement: `?` and `@name` placeholders become `$n`, and SQLite's `json_extract(col,
 * '$.key')` becomes a jsonb lookup. Quoted strings, quoted identifiers and comments are left alone.
 */

export interface PgSql {
  text: string;
  /** For `@name` placeholders: the name of each `$n`, in order; null when placeholders are positional. */
  names: string[] | null;
}

const JSON_EXTRACT = /json_extract\(\s*([A-Za-z_][A-Za-z0-9_.]*)\s*,\s*'\$\.([A-Za-z_][A-Za-z0-9_]*)'\s*\)/g;

export function toPgSql(sql: string): PgSql {
  const source = sql.replace(
    JSON_EXTRACT,
    (_m, column: string, key: string) => `((${column})::jsonb->>'${key}')::float8`,
  );
  let text = '';
  let positional = 0;
  const names: string[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === "'" || ch === '"') {
      const end = closing(source, i, ch);
      text += source.slice(i, end);
      i = end;
    } else if (ch === '-' && source[i + 1] === '-') {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? source.length : end;
      text += source.slice(i, stop);
      i = stop;
    } else if (ch === '?') {
      text += `$${++positional}`;
      i++;
    } else if (ch === '@' && /[A-Za-z_]/.test(source[i + 1] ?? '')) {
      let end = i + 1;
      while (end < source.length && /[A-Za-z0-9_]/.test(source[end]!)) end++;
      const name = source.slice(i + 1, end);
      let n = names.indexOf(name);
      if (n === -1) n = names.push(name) - 1;
      text += `$${n + 1}`;
      i = end;
    } else {
      text += ch;
      i++;
    }
  }
  if (positional && names.length) throw new Error('a statement mixes ? and @name placeholders');
  return { text, names: names.length ? names : null };
}

/** Index just past the quote that closes the one at `start` (a doubled quote is part of the text). */
function closing(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

/**
 * better-sqlite3's ways of passing parameters (spread, one array, one object of named values) as
 * PostgreSQL's one array. Booleans become 1/0 as SQLite stores them.
 */
export function pgParams(statement: PgSql, params: unknown[]): unknown[] {
  if (statement.names) {
    const named = (params[0] ?? {}) as Record<string, unknown>;
    return statement.names.map((n) => value(named[n]));
  }
  const flat = params.length === 1 && Array.isArray(params[0]) ? (params[0] as unknown[]) : params;
  return flat.map(value);
}

function value(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return v.toString();
  return v === undefined ? null : v;
}
