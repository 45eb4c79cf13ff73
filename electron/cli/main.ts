/** Entry point of the `candlekeep` command: dispatch to a command, turn failures into one line and an exit code. */
import { EXIT_USAGE, describeError, exitCodeOf } from './errors.js';
import { line, processIo, type CliIo } from './io.js';
import { COMMANDS } from './catalog.js';

function help(): string {
  return [
    'usage: candlekeep <command> [options]',
    '',
    ...Object.values(COMMANDS).map((c) => `  candlekeep ${c.usage}`),
  ].join('\n');
}

const asksHelp = (arg: string | undefined): boolean => arg === '--help' || arg === '-h';

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  // `candlekeep help backfill` and `candlekeep backfill --help`: that command's usage alone.
  const asked =
    name === 'help' && rest[0] && Object.hasOwn(COMMANDS, rest[0])
      ? rest[0]
      : name && Object.hasOwn(COMMANDS, name) && rest.some(asksHelp)
        ? name
        : null;
  if (asked) {
    line(io.stdout, `usage: candlekeep ${COMMANDS[asked]!.usage}`);
    return 0;
  }
  if (!name || name === 'help' || asksHelp(name)) {
    line(name ? io.stdout : io.stderr, help());
    return name ? 0 : EXIT_USAGE;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    line(io.stderr, `candlekeep: unknown command '${name}'; run 'candlekeep help' for the list`);
    return EXIT_USAGE;
  }
  try {
    const { run } = await command.load();
    return await run(rest, io);
  } catch (err) {
    line(io.stderr, `candlekeep ${name}: ${describeError(err)}`);
    return exitCodeOf(err);
  }
}
