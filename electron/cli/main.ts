/** Entry point of the `candlekeep` command: dispatch to a command, turn failures into one line and an exit code. */
import { EXIT_FAILURE, EXIT_USAGE, UsageError, describeError } from './errors.js';
import { line, processIo, type CliIo } from './io.js';
import * as backfill from './commands/backfill.js';
import * as exportCmd from './commands/export.js';
import * as importCmd from './commands/import.js';
import * as serve from './commands/serve.js';
import * as sim from './commands/sim.js';
import * as sources from './commands/sources.js';
import * as symbols from './commands/symbols.js';
import * as series from './commands/series.js';
import * as daemon from './commands/daemon.js';
import * as sync from './commands/sync.js';
import * as gaps from './commands/gaps.js';
import * as verify from './commands/verify.js';
import * as demo from './commands/demo.js';
import * as appCmd from './commands/app.js';
import * as quality from './commands/quality.js';
import * as assets from './commands/assets.js';
import * as tokens from './commands/tokens.js';
import * as audit from './commands/audit.js';
import * as soak from './commands/soak.js';

interface Command {
  usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  backfill,
  export: exportCmd,
  import: importCmd,
  serve,
  sim,
  sources,
  symbols,
  series,
  daemon,
  sync,
  gaps,
  verify,
  demo,
  app: appCmd,
  quality,
  assets,
  tokens,
  audit,
  soak,
};

function help(): string {
  return ['usage: candlekeep <command> [options]', '', ...Object.values(COMMANDS).map((c) => `  candlekeep ${c.usage}`)].join('\n');
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    line(name ? io.stdout : io.stderr, help());
    return name ? 0 : EXIT_USAGE;
  }
  const command = COMMANDS[name];
  if (!command) {
    line(io.stderr, `candlekeep: unknown command '${name}'; run 'candlekeep help' for the list`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    line(io.stderr, `candlekeep ${name}: ${describeError(err)}`);
    if (err instanceof UsageError) {
      return EXIT_USAGE;
    }
    return EXIT_FAILURE;
  }
}
