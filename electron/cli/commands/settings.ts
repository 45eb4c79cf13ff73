/**
 * `candlekeep settings get|set`: the engine's settings, in the database every front shares. A change
 * is checked whole before it is written (a bad one changes nothing) and running engines on the same
 * file apply it within seconds.
 *   settings get [--json]
 *   settings set PATH VALUE     e.g. sweepCron "5 * * * *", sources.requestTimeoutMs 20000,
 *                               sources.binanceHosts '["https://api.binance.com"]'
 */
import { parse } from '../args.js';
import { UsageError } from '../errors.js';
import { line, type CliIo } from '../io.js';
import { DB_OPTION, openStore } from './common.js';
import { auditedChange } from '../cli-audit.js';
import { systemClock } from '../../net/clock.js';
import { parseSettingsPatch, updateSettings } from '../../app/settings-operations.js';
import { COMMANDS } from '../catalog.js';

const usage = COMMANDS.settings!.usage;

/** `a.b` and a value become `{ a: { b: value } }`; the value is JSON where it parses, else a string. */
export function patchFromPath(path: string, raw: string): unknown {
  if (!/^[A-Za-z]+(\.[A-Za-z]+)?$/.test(path))
    throw new UsageError(
      `'${path}' is not a setting: name one like sweepCron or sources.requestTimeoutMs (see 'candlekeep settings get')`,
    );
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // A bare word (a cron expression, a URL) is a string.
  }
  const [section, field] = path.split('.') as [string, string | undefined];
  return field === undefined ? { [section]: value } : { [section]: { [field]: value } };
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parse(rest, { ...DB_OPTION, json: { type: 'boolean' } }, true);
  if (action === 'get') {
    if (positionals.length) throw new UsageError(`unexpected '${positionals[0]}': candlekeep ${usage}`);
    const store = openStore(values, io);
    try {
      line(io.stdout, JSON.stringify(store.settings.get(), null, values.json ? undefined : 2));
    } finally {
      store.close();
    }
    return 0;
  }
  if (action !== 'set') throw new UsageError(`unknown settings action '${action ?? ''}': use get or set`);
  if (positionals.length !== 2) throw new UsageError(`settings set takes a setting and a value: candlekeep ${usage}`);
  // Checked before the database is opened: a refused change leaves nothing behind.
  const patch = parseSettingsPatch(patchFromPath(positionals[0]!, positionals[1]!));
  const store = openStore(values, io);
  try {
    auditedChange(store, 'settings:update', { patch }, () => updateSettings({ store, clock: systemClock }, patch));
    line(io.stdout, `set ${positionals[0]}; running engines on this database apply it within seconds`);
  } finally {
    store.close();
  }
  return 0;
}
