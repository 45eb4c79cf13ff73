/**
 * The application layer for settings and API keys, with one set of checks whichever front asks
 * (the dashboard over IPC, HTTP or WebSocket, and the CLI). A change is checked whole before
 * anything is written: a bad one is refused with one line, and nothing changes.
 */
import { Cron } from 'croner';
import type { Store } from '../store/store.js';
import type { Clock } from '../net/clock.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { UsageError } from '../errors.js';
import { settingsPatchSchema } from '../../shared/schemas.js';
import type { Settings } from '../../shared/settings.js';
import type { SettingsPatch } from '../../shared/contract.js';

/** A patch from outside (a command line, a file), checked against the same schema the API uses. */
export function parseSettingsPatch(patch: unknown): SettingsPatch {
  const parsed = settingsPatchSchema.safeParse(patch);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new UsageError(`invalid settings: ${where}${issue?.message ?? 'bad input'}`);
  }
  return parsed.data;
}

/** Check what the schema cannot (a cron expression), then write the patch; returns the new settings. */
export function updateSettings(deps: { store: Store; clock: Clock }, patch: SettingsPatch): Settings {
  if (patch.sweepCron !== undefined) {
    try {
      new Cron(patch.sweepCron, { paused: true, timezone: 'UTC' }).stop();
    } catch (err) {
      throw new UsageError(`sweepCron '${patch.sweepCron}' is not a cron expression: ${(err as Error).message}`);
    }
  }
  return deps.store.settings.update(patch, deps.clock.now());
}

/**
 * Keys live outside the database (the OS keyring's file, or a 0600 file): the change log records
 * that they changed, so engines sharing the data folder rebuild their sources with the new key.
 */
export function setKey(deps: { store: Store; secrets: SecretStore }, name: string, value: string): void {
  deps.secrets.set(name, value);
  deps.store.configChanges.record('keys');
}

/** Clear a key; returns whether one was set. */
export function clearKey(deps: { store: Store; secrets: SecretStore }, name: string): boolean {
  const cleared = deps.secrets.clear(name);
  if (cleared) deps.store.configChanges.record('keys');
  return cleared;
}
