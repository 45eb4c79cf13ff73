/** `candlekeep tokens` and `candlekeep audit` in-process against a real database file. */
import { afterAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { main } from '../main.js';
import { captureIo } from '../../test-support/cli-io.js';
import { tempDir } from '../../test-support/temp-db.js';
import { Store } from '../../store/store.js';

const dir = tempDir();
const db = path.join(dir.dir, 'tokens.db');

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { io, out, err } = captureIo({ CANDLEKEEP_HOME: dir.dir });
  const code = await main([...args, '--db', db], io);
  return { code, out: out(), err: err() };
}

afterAll(() => dir.cleanup());

describe('candlekeep tokens', () => {
  it('adds a token printed alone on stdout once, lists it without it, and revokes it', async () => {
    const added = await run(['tokens', 'add', 'laptop', '--role', 'read']);
    expect(added.code, added.err).toBe(0);
    const token = added.out.trim();
    expect(added.out).toBe(`${token}\n`);
    expect(token).toMatch(/^ck_\S{40,}$/);
    expect(added.err).toMatch(/only time it is shown/);

    const listed = await run(['tokens', 'list', '--json']);
    const tokens = JSON.parse(listed.out) as Array<Record<string, unknown>>;
    expect(tokens).toEqual([{ name: 'laptop', role: 'read', created: expect.any(Number), lastUsed: null }]);
    expect((await run(['tokens', 'list'])).out).toMatch(
      /^name\s+role\s+created\s+last used\nlaptop\s+read\s+\S+Z\s+never\n$/,
    );
    expect(listed.out + (await run(['tokens', 'list'])).out).not.toContain(token);

    const store = Store.open(db);
    expect(store.tokens.verify(token, Date.now())?.name).toBe('laptop');
    store.close();

    expect((await run(['tokens', 'revoke', 'laptop'])).out).toBe('revoked laptop\n');
    const reopened = Store.open(db);
    expect(reopened.tokens.verify(token, Date.now())).toBeNull();
    reopened.close();
  });

  it.each([
    ['a missing role', ['tokens', 'add', 'ci'], /missing --role: use --role read .* or --role admin/],
    ['an unknown role', ['tokens', 'add', 'ci', '--role', 'root'], /unknown --role 'root'/],
    ['a bad name', ['tokens', 'add', 'no spaces', '--role', 'read'], /name the token with letters/],
    ['an unknown token', ['tokens', 'revoke', 'nobody'], /no token named 'nobody'/],
    ['an unknown action', ['tokens', 'rotate', 'ci'], /unknown tokens action 'rotate'/],
  ])('%s: one line, exit 2, no token made', async (_name, args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err).toMatch(message);
    expect(JSON.parse((await run(['tokens', 'list', '--json'])).out)).toEqual([]);
  });

  it('refuses a second token with a taken name', async () => {
    expect((await run(['tokens', 'add', 'twice', '--role', 'admin'])).code).toBe(0);
    const again = await run(['tokens', 'add', 'twice', '--role', 'read']);
    expect(again.code).toBe(2);
    expect(again.out).toBe('');
    expect(again.err).toMatch(/a token named 'twice' exists/);
    expect((await run(['tokens', 'revoke', 'twice'])).code).toBe(0);
  });
});

describe('candlekeep audit', () => {
  it("lists the CLI's changes, newest first, as the OS user on this host, filtered by actor and time", async () => {
    const actor = `cli:${os.userInfo().username}@${os.hostname()}`;
    const since = Date.now();
    expect((await run(['tokens', 'add', 'robot', '--role', 'admin'])).code).toBe(0);
    expect((await run(['tokens', 'revoke', 'nobody'])).code).toBe(2);
    const rows = JSON.parse((await run(['audit', '--json', '--since', String(since)])).out) as Array<
      Record<string, unknown>
    >;
    expect(rows).toEqual([
      {
        ts: expect.any(Number),
        actor,
        remote: 'local',
        channel: 'tokens:revoke',
        args: { name: 'nobody' },
        outcome: 'error',
        reason: "no token named 'nobody': see 'candlekeep tokens list'",
      },
      {
        ts: expect.any(Number),
        actor,
        remote: 'local',
        channel: 'tokens:add',
        args: { name: 'robot', role: 'admin' },
        outcome: 'ok',
        reason: null,
      },
    ]);
    expect(JSON.parse((await run(['audit', '--json', '--actor', 'token:none'])).out)).toEqual([]);
    expect((await run(['audit', '--since', String(since)])).out).toMatch(
      /^time\s+actor\s+remote\s+channel\s+outcome\s+reason\s+args\n\S+Z\s+cli:\S+\s+local\s+tokens:revoke\s+error/,
    );
    const bad = await run(['audit', '--since', 'last week']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--since 'last week' is not a time/);
  });
});
