/** Help as users ask for it: the whole list, or one command's usage, on stdout with exit 0. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/cli-io.js';
import { COMMANDS } from './catalog.js';

describe('candlekeep help', () => {
  it('--help lists every command', async () => {
    const { code, out } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const command of Object.values(COMMANDS)) expect(out).toContain(`candlekeep ${command.usage}`);
  });

  it.each([
    ['sim --help', ['sim', '--help']],
    ['backfill -h among other options', ['backfill', '--source', 'binance', '-h']],
    ['help sim', ['help', 'sim']],
  ])("%s: that command's usage alone, and nothing run", async (_name, args) => {
    const name = args[0] === 'help' ? args[1]! : args[0]!;
    const { code, out, err } = await runCli(args);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out.trim()).toBe(`usage: candlekeep ${COMMANDS[name]!.usage}`);
  });

  it('no command: the list on stderr and the usage exit code', async () => {
    const { code, err } = await runCli([]);
    expect(code).toBe(2);
    expect(err).toContain('usage: candlekeep <command> [options]');
  });
});
