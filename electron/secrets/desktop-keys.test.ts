/**
 * API keys in the desktop app, set the way the dashboard sets them (over IPC, through the
 * preload bridge): encrypted at rest, asked about on a Linux without keyring, and never sent back to
 * the renderer. The whole app runs on the stand-in Electron with a real database and data folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { channelArgs } from '../../shared/schemas.js';
import { desktopChannelArgs } from '../../shared/desktop-schemas.js';
import type { DesktopCandlekeepBridge } from '../../shared/desktop-contract.js';
import { createPreloadBridge } from '../shell/preload-bridge.js';
import {
  settle,
  startDesktopRig,
  type DesktopRig,
  type DesktopRigOptions,
} from '../test-support/electron-stub-desktop.js';

const KEY = 'CG-demo-4f1c2a9e7b';
let desktop: DesktopRig;
afterEach(() => desktop.close());

async function dashboard(options: DesktopRigOptions = {}): Promise<DesktopCandlekeepBridge> {
  desktop = await startDesktopRig(options);
  await settle();
  return createPreloadBridge(desktop.stub.ipcRendererFor(desktop.window()!.webContents));
}

/** The Settings page uses the engine contract's 'keys:set'; 'secrets:set' is the desktop-only twin. */
type SetChannel = 'keys:set' | 'secrets:set';
const setKey = (bridge: DesktopCandlekeepBridge, channel: SetChannel, name: string, value: string): Promise<unknown> =>
  channel === 'keys:set' ? bridge.invoke('keys:set', { name, value }) : bridge.invoke('secrets:set', { name, value });

/** Every file under the data folder (database, WAL, settings, key files, logs) as text. */
function everythingOnDisk(): string {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else out.push(fs.readFileSync(file).toString('latin1'));
    }
  };
  walk(desktop.folders.dataDir);
  return out.join('\n');
}

describe('API keys at rest', () => {
  it.each(['keys:set', 'secrets:set'] as SetChannel[])(
    'a key set with %s is encrypted on disk, yet the engine can use it',
    async (channel) => {
      const bridge = await dashboard();
      await setKey(bridge, channel, 'coingecko.apiKey', KEY);
      expect(everythingOnDisk()).not.toContain(KEY);
      expect(desktop.services().runtime.secrets.get('coingecko.apiKey')).toBe(KEY);
    },
  );
});

describe('Linux without a keyring (basic_text)', () => {
  it('the key is refused when the user declines storing it unencrypted', async () => {
    const bridge = await dashboard({ keyringBackend: 'basic_text', dialogResponse: 0 });
    await expect(bridge.invoke('secrets:set', { name: 'coingecko.apiKey', value: KEY })).rejects.toThrow(/declined/);
    expect(desktop.stub.dialogs).toHaveLength(1);
    expect((await bridge.invoke('secrets:list')).map((s) => s.name)).toEqual([]);
    expect(everythingOnDisk()).not.toContain(KEY);
  });

  it.each(['keys:set', 'secrets:set'] as SetChannel[])(
    'with %s, the key is stored once the user agreed, and the answer is remembered',
    async (channel) => {
      const bridge = await dashboard({ keyringBackend: 'basic_text', dialogResponse: 1 });
      await setKey(bridge, channel, 'coingecko.apiKey', KEY);
      expect(desktop.services().secrets.get('coingecko.apiKey')).toBe(KEY);
      expect((await bridge.invoke('desktop:get-settings')).plaintextKeyConsent).toBe(true);
      await setKey(bridge, channel, 'coingecko.proApiKey', `${KEY}-pro`);
      expect(desktop.stub.dialogs).toHaveLength(1);
    },
  );
});

describe('keys never reach the renderer', () => {
  it('no channel answer and no pushed event carries a key once set', async () => {
    const bridge = await dashboard();
    await bridge.invoke('keys:set', { name: 'coingecko.apiKey', value: KEY });
    await bridge.invoke('secrets:set', { name: 'coingecko.proApiKey', value: `${KEY}-pro` });
    const schemas = { ...channelArgs, ...desktopChannelArgs } as Record<
      string,
      { safeParse(v: unknown): { success: boolean } }
    >;
    // Every channel that can be asked without arguments: all the reads (status, lists, settings, info).
    const readable = Object.keys(schemas).filter((c) => schemas[c]!.safeParse(undefined).success);
    expect(readable).toEqual(
      expect.arrayContaining(['keys:status', 'secrets:list', 'settings:get', 'desktop:get-settings']),
    );
    const invoke = bridge.invoke as (channel: string) => Promise<unknown>;
    for (const channel of readable) {
      const answer = JSON.stringify(await invoke(channel));
      expect(answer, channel).not.toContain(KEY);
    }
    expect(JSON.stringify(desktop.window()!.webContents.sent)).not.toContain(KEY);
    // What the renderer does learn: that the keys are set.
    expect(await bridge.invoke('secrets:list')).toEqual([
      expect.objectContaining({ name: 'coingecko.apiKey', set: true }),
      expect.objectContaining({ name: 'coingecko.proApiKey', set: true }),
    ]);
  });
});
