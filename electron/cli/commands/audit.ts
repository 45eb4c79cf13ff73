/**
 * `candlekeep audit [--since TIME] [--actor NAME] [--json] [--db FILE]`: the audit log, newest first:
 * every change and every refused attempt, from the dashboard, the desktop app, tokens and the CLI.
 * `--json` is an array of {ts, actor, remote, channel, args, outcome, reason}.
 */
import { instant, parse } from '../args.js';
import { UsageError } from '../errors.js';
import { line, type CliIo } from '../io.js';
import { DB_OPTION, openStore } from './common.js';
import { textTable } from '../text-table.js';
import type { AuditEntry } from '../../../shared/contract.js';

const DEFAULT_LIMIT = 200;

function limit(value: unknown): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000)
    throw new UsageError(`--limit '${String(value)}' is not a row count: give a whole number from 1 to 10000`);
  return n;
}

function describe(entries: AuditEntry[]): string {
  if (!entries.length) return 'nothing recorded: changes and refused attempts appear here';
  const rows = entries.map((e) => [
    new Date(e.ts).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    e.actor,
    e.remote ?? '-',
    e.channel,
    e.outcome,
    e.reason ?? '',
    e.args === null ? '' : JSON.stringify(e.args),
  ]);
  return textTable(['time', 'actor', 'remote', 'channel', 'outcome', 'reason', 'args'], rows);
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, {
    ...DB_OPTION,
    since: { type: 'string' },
    actor: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  });
  const since = typeof values.since === 'string' ? instant(values.since, 'since') : undefined;
  const actor = typeof values.actor === 'string' && values.actor !== '' ? values.actor : undefined;
  const rows = limit(values.limit);
  const store = openStore(values, io);
  try {
    const entries = store.audit.list({ since, actor, limit: rows });
    if (values.json) {
      line(
        io.stdout,
        JSON.stringify(
          entries.map(({ ts, actor: who, remote, channel, args, outcome, reason }) => ({
            ts,
            actor: who,
            remote,
            channel,
            args,
            outcome,
            reason,
          })),
        ),
      );
    } else {
      line(io.stdout, describe(entries));
    }
  } finally {
    store.close();
  }
  return 0;
}
