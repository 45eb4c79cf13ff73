/**
 * `candlekeep keys list|set|clear`: API keys for the headless engines (`serve`, `daemon`), kept in
 * the data folder's 0600 file (the desktop app keeps its own, encrypted, and sets them in Settings).
 * A value never goes on the command line, where shell history and `ps` would keep it: `set` reads
 * it from the environment variable `--from-env` names. Running engines apply a change within seconds.
 *   keys list [--json]
 *   keys set NAME --from-env VAR
 *   keys clear NAME
 */
import { parse } from '../args.js';
import { UsageError } from '../errors.js';
import { line, type CliIo } from '../io.js';
import { DB_OPTION, openStore } from './common.js';
import { auditedChange } from '../cli-audit.js';
import { textTable } from '../text-table.js';
import { FileSecretStore, defaultHeadlessSecretsPath } from '../../secrets/file-secret-store.js';
import { assertSecretName, assertSecretValue, SecretStorageError } from '../../secrets/secret-store.js';
import { clearKey, setKey } from '../../app/settings-operations.js';
import { COMMANDS } from '../catalog.js';

const usage = COMMANDS.keys!.usage;

/** A key name or value refused by the secret store is the user's input to fix. */
function checked(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    throw err instanceof SecretStorageError ? new UsageError(err.message) : err;
  }
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parse(
    rest,
    { ...DB_OPTION, json: { type: 'boolean' }, 'from-env': { type: 'string' } },
    true,
  );
  if (action !== 'list' && action !== 'set' && action !== 'clear')
    throw new UsageError(`unknown keys action '${action ?? ''}': use list, set or clear`);
  if (positionals.length !== (action === 'list' ? 0 : 1)) throw new UsageError(`candlekeep ${usage}`);
  const secrets = new FileSecretStore(defaultHeadlessSecretsPath(io.env));
  if (action === 'list') {
    const keys = secrets.list();
    const iso = (ts: number): string => new Date(ts).toISOString().replace(/\.\d{3}Z$/, 'Z');
    line(
      io.stdout,
      values.json
        ? JSON.stringify(keys)
        : keys.length
          ? textTable(
              ['name', 'set at'],
              keys.map((k) => [k.name, iso(k.updatedAt)]),
            )
          : 'no keys set',
    );
    return 0;
  }
  const name = positionals[0]!;
  checked(() => assertSecretName(name));
  let value = '';
  if (action === 'set') {
    const variable = values['from-env'];
    if (typeof variable !== 'string')
      throw new UsageError(
        `keys set takes the value from an environment variable, never the command line: candlekeep keys set ${name} --from-env VAR`,
      );
    value = io.env[variable] ?? '';
    if (!value) throw new UsageError(`the environment variable ${variable} is not set or empty`);
    checked(() => assertSecretValue(value));
  }
  // Checked before the database is opened: a refused change leaves nothing behind.
  const store = openStore(values, io);
  try {
    if (action === 'set') {
      auditedChange(store, 'keys:set', { name, value }, () => setKey({ store, secrets }, name, value));
      line(io.stdout, `key ${name} set; running engines apply it within seconds`);
    } else {
      const cleared = auditedChange(store, 'keys:clear', { name }, () => clearKey({ store, secrets }, name));
      line(io.stdout, cleared ? `key ${name} cleared` : `no key ${name} was set`);
    }
  } finally {
    store.close();
  }
  return 0;
}
