/**
 * The commands and their one-line usages. A command's module (and all it imports: the engine, the
 * server, ccxt) is loaded only when that command runs, so `candlekeep --help` loads this file alone.
 */
import type { CliIo } from './io.js';

export interface CommandModule {
  run(argv: string[], io: CliIo): Promise<number>;
}

export interface Command {
  usage: string;
  load(): Promise<CommandModule>;
}

export const COMMANDS: Record<string, Command> = {
  backfill: {
    usage:
      'backfill --source S --symbol X [--vs CUR] --timeframe T --from TIME --to TIME [--db FILE|URL] [--json] [--plan] [--rest-only]',
    load: () => import('./commands/backfill.js'),
  },
  export: {
    usage:
      'export --source S --symbol X [--vs CUR] --timeframe T [--from TIME] [--to TIME] [--format csv|json|parquet] [--out FILE] [--freqtrade DIR [--freqtrade-format json|jsongz] [--pair BASE/QUOTE]] [--db FILE|URL]',
    load: () => import('./commands/export.js'),
  },
  import: {
    usage:
      'import --source S --symbol X [--vs CUR] --timeframe T --file F.csv [--columns ts=0,open=1,high=2,low=3,close=4,volume=5] [--ts-unit ms|s|us] [--db FILE|URL]',
    load: () => import('./commands/import.js'),
  },
  serve: {
    usage:
      'serve [--port N] [--host ADDR] [--token T] [--require-token] [--allow-host NAME]... [--allow-origin ORIGIN]... [--no-engine] [--no-streams] [--read-workers N] [--db FILE|URL]',
    load: () => import('./commands/serve.js'),
  },
  sim: {
    usage:
      'sim [--port N] [--seed S] [--hosts N] [--faults none|flaky|hostile|streams] [--time-scale K] [--weight-limit W] [--start TIME] [--latency MS] [--symbols N]',
    load: () => import('./commands/sim.js'),
  },
  sources: {
    usage: 'sources [--source S] [--json]',
    load: () => import('./commands/sources.js'),
  },
  symbols: {
    usage: 'symbols --source S [--search TEXT] [--json]',
    load: () => import('./commands/symbols.js'),
  },
  series: {
    usage:
      'series add --source S --symbol X --timeframe T --from TIME | series list [--json] | series pause|resume|remove --source S --symbol X --timeframe T',
    load: () => import('./commands/series.js'),
  },
  daemon: {
    usage:
      'daemon [--db FILE|URL] [--sweep-cron "M H DOM MON DOW"] [--no-streams] [--collector NAME [--egress NAME] [--lease-timeout S]]',
    load: () => import('./commands/daemon.js'),
  },
  fleet: {
    usage: 'fleet --db postgres://… [--json]',
    load: () => import('./commands/fleet.js'),
  },
  sync: {
    usage: 'sync --once [--db FILE|URL] [--json]',
    load: () => import('./commands/sync.js'),
  },
  migrate: {
    usage: 'migrate --from FILE.db --to postgres://USER:PASSWORD@HOST:PORT/DATABASE',
    load: () => import('./commands/migrate.js'),
  },
  gaps: {
    usage: 'gaps [--series ID|SOURCE:SYMBOL:TIMEFRAME]... [--json] [--db FILE|URL]',
    load: () => import('./commands/gaps.js'),
  },
  verify: {
    usage: 'verify [--series ID|SOURCE:SYMBOL:TIMEFRAME]... [--json] [--db FILE|URL]',
    load: () => import('./commands/verify.js'),
  },
  soak: {
    usage: 'soak --days N [--faults none|flaky|hostile|streams] [--series-count K] [--seed S] [--json]',
    load: () => import('./commands/soak.js'),
  },
  demo: {
    usage: 'demo [--port N] [--faults none|flaky|hostile|streams] [--db FILE|URL]',
    load: () => import('./commands/demo.js'),
  },
  app: {
    usage: 'app [--hidden] [--db FILE|URL]   the desktop app (npm start; needs the Electron binary)',
    load: () => import('./commands/app.js'),
  },
  quality: {
    usage: 'quality [--series ID|SOURCE:SYMBOL:TIMEFRAME]... [--json] [--db FILE|URL]',
    load: () => import('./commands/quality.js'),
  },
  history: {
    usage:
      'history [--source S | --series ID|SOURCE:SYMBOL:TIMEFRAME] [--range 1h|24h|7d|90d] [--json] [--db FILE|URL]',
    load: () => import('./commands/history.js'),
  },
  assets: {
    usage:
      'assets set NAME SOURCE:SYMBOL... [--tolerance PCT] | assets list [--json] | assets remove NAME [SOURCE:SYMBOL...]',
    load: () => import('./commands/assets.js'),
  },
  settings: {
    usage:
      'settings get [--json] | settings set PATH VALUE (e.g. sweepCron "5 * * * *", sources.requestTimeoutMs 20000) [--db FILE|URL]',
    load: () => import('./commands/settings.js'),
  },
  keys: {
    usage: 'keys list [--json] | keys set NAME --from-env VAR | keys clear NAME [--db FILE|URL]',
    load: () => import('./commands/keys.js'),
  },
  tokens: {
    usage: 'tokens add NAME --role read|admin | tokens list [--json] | tokens revoke NAME',
    load: () => import('./commands/tokens.js'),
  },
  audit: {
    usage: 'audit [--since TIME] [--actor NAME] [--limit N] [--json] [--db FILE|URL]',
    load: () => import('./commands/audit.js'),
  },
};
