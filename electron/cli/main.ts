/** Entry point of the `candlekeep` command: dispatch to a command, turn failures into one line and an exit code. */
import { EXIT_USAGE, describeError, exitCodeOf } from './errors.js';
import { line, processIo, type CliIo } from './io.js';
import { COMMANDS } from './catalog.js';

function help(): string {
  return ['usage: candlekeep <command> [options]', '', ...Object.values(COMMANDS).map((c) => `  candlekeep ${c.usage}`)].join('\n');
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
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
