/**
 * The bridge never leaves a caller waiting: a request that fails inside the connection thread is
 * answered with the failure, and a thread that stops fails what was left running.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { postgresSkipReason } from '../../test-support/backends.js';
import { startPostgres, type TestPostgres } from '../../test-support/postgres.js';
import { PgBridge } from './pg-bridge.js';

const skip = postgresSkipReason();

describe.skipIf(skip !== null)('the PostgreSQL bridge, when something fails inside it', () => {
  let server: TestPostgres;
  const bridges: PgBridge[] = [];
  const open = (): PgBridge => {
    const bridge = new PgBridge(server.url);
    bridges.push(bridge);
    return bridge;
  };
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterEach(() => {
    for (const bridge of bridges.splice(0)) bridge.close();
  });
  afterAll(() => server?.stop());

  it('a COPY given no input fails with an error saying so, writes nothing, and the connection goes on', () => {
    const bridge = open();
    bridge.query({ sql: 'CREATE TABLE copied (n integer)' });
    expect(() => bridge.copy('COPY copied FROM STDIN; COPY copied FROM STDIN', ['1\n'])).toThrow(
      'COPY 2 of the request was given no input',
    );
    // Both COPYs ran as one statement list, so the first one's row went with the failure.
    expect(bridge.query({ sql: 'SELECT count(*) AS n FROM copied' }).rows).toEqual([{ n: 0 }]);
    expect(bridge.copy('COPY copied FROM STDIN', ['1\n2\n'])).toBe(2);
  });

  it('a connection thread that stops fails the commit left running, and every later request, at once', async () => {
    const bridge = open();
    bridge.query({ sql: 'CREATE TABLE kept (n integer)' });
    bridge.begin();
    bridge.query({ sql: 'INSERT INTO kept VALUES (1)' });
    // The commit waits behind a statement that takes seconds, so the thread stops before it answers.
    bridge.defer('SELECT pg_sleep(30)');
    const commit = bridge.endAsync([]);
    await (bridge as unknown as { worker: Worker }).worker.terminate();
    await expect(commit).rejects.toThrow('the PostgreSQL connection thread stopped; reopen the store');
    expect(() => bridge.query({ sql: 'SELECT 1' })).toThrow('the PostgreSQL connection thread stopped');
    // Its connection is gone with the thread: the transaction never committed.
    expect(await server.sql('SELECT count(*) FROM kept')).toBe('0');
  });
});
