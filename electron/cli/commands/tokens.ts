/**
 * `candlekeep tokens add|list|revoke`: who may call `serve`, and with which role.
 *   tokens add NAME --role read|admin    prints the new token alone on stdout, once (only its hash is kept)
 *   tokens list [--json]                 name, role, created, last used; never a token
 *   tokens revoke NAME                   takes effect at once, also in a running serve
 */
import { parse } from '../args.js';
import { UsageError } from '../errors.js';
import { line, type CliIo } from '../io.js';
import { DB_OPTION, openStore } from './common.js';
import { auditedChange } from '../cli-audit.js';
import { textTable } from '../text-table.js';
import { systemClock } from '../../net/clock.js';
import { TOKEN_NAME, TokenNameTakenError, type TokenInfo } from '../../store/token-store.js';
import type { Role } from '../../../shared/contract.js';
import { COMMANDS } from '../catalog.js';

const usage = COMMANDS.tokens!.usage;

const iso = (ts: number | null): string =>
  ts === null ? 'never' : new Date(ts).toISOString().replace(/\.\d{3}Z$/, 'Z');

function table(tokens: TokenInfo[]): string {
  if (!tokens.length) return "no tokens yet: add one with 'candlekeep tokens add NAME --role read' (or --role admin)";
  const header = ['name', 'role', 'created', 'last used'];
  const body = tokens.map((t) => [t.name, t.role, iso(t.createdAt), iso(t.lastUsedAt)]);
  return textTable(header, body);
}

function tokenName(name: string | undefined): string {
  if (!name || !TOKEN_NAME.test(name))
    throw new UsageError(`name the token with letters, digits, '.', '_' or '-' (e.g. laptop): candlekeep ${usage}`);
  return name;
}

function role(value: unknown): Role {
  if (value === 'read' || value === 'admin') return value;
  throw new UsageError(
    `${value === undefined ? 'missing --role' : `unknown --role '${String(value)}'`}: use --role read (reads only) or --role admin (may also change things)`,
  );
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parse(
    rest,
    { ...DB_OPTION, role: { type: 'string' }, json: { type: 'boolean' } },
    true,
  );
  if (action !== 'add' && action !== 'list' && action !== 'revoke')
    throw new UsageError(`unknown tokens action '${action ?? ''}': use add, list or revoke`);
  if (positionals.length > (action === 'list' ? 0 : 1))
    throw new UsageError(`unexpected '${positionals.at(-1)}': candlekeep ${usage}`);
  const name = action === 'list' ? '' : tokenName(positionals[0]);
  const tokenRole = action === 'add' ? role(values.role) : null;
  const store = openStore(values, io);
  try {
    if (action === 'add') {
      const token = auditedChange(store, 'tokens:add', { name, role: tokenRole }, () => {
        try {
          return store.tokens.issue(name, tokenRole!, systemClock.now());
        } catch (err) {
          throw err instanceof TokenNameTakenError ? new UsageError(err.message) : err;
        }
      });
      // Alone on stdout, so `T=$(candlekeep tokens add ...)` captures exactly the token.
      line(io.stdout, token);
      line(
        io.stderr,
        `token '${name}' (${tokenRole}) created; this is the only time it is shown: send it as Authorization: Bearer <token>`,
      );
    } else if (action === 'revoke') {
      auditedChange(store, 'tokens:revoke', { name }, () => {
        if (!store.tokens.revoke(name)) throw new UsageError(`no token named '${name}': see 'candlekeep tokens list'`);
      });
      line(io.stdout, `revoked ${name}`);
    } else {
      const tokens = store.tokens.list();
      line(
        io.stdout,
        values.json
          ? JSON.stringify(
              tokens.map((t) => ({ name: t.name, role: t.role, created: t.createdAt, lastUsed: t.lastUsedAt })),
            )
          : table(tokens),
      );
    }
  } finally {
    store.close();
  }
  return 0;
}
