/**
 * Electron's security recommendation "Validate the sender of all IPC messages": every ipcMain handler the desktop app
 * registers refuses every contract channel from anything but the dashboard's own top frame. The
 * channel lists are read from what the app registered and from the contract's schemas, so a new
 * handler or channel is covered without touching this test.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelArgs } from '../../shared/schemas.js';
import { desktopChannelArgs } from '../../shared/desktop-schemas.js';
import { FOREIGN_SENDER } from './ipc.js';
import type { IpcInvokeEventLike } from './electron-api.js';
import { APP_INDEX_URL } from './security.js';
import { settle, startDesktopRig, type DesktopRig } from '../test-support/electron-stub-desktop.js';

const CONTRACT_CHANNELS = [...Object.keys(channelArgs), ...Object.keys(desktopChannelArgs)];

let desktop: DesktopRig;
beforeEach(async () => {
  desktop = await startDesktopRig();
  await settle();
});
afterEach(() => desktop.close());

/** Senders that are not the dashboard's top frame showing our page. */
function foreignSenders(): Record<string, IpcInvokeEventLike> {
  const dashboard = desktop.window()!.webContents;
  // Some other window of the app (say, a future "about" window) showing even our own page.
  const other = new desktop.stub.BrowserWindow({ show: false });
  other.webContents.url = APP_INDEX_URL;
  return {
    'another window': { sender: { id: other.webContents.id }, senderFrame: { url: APP_INDEX_URL, parent: null } },
    'a subframe of the dashboard': { sender: { id: dashboard.id }, senderFrame: { url: APP_INDEX_URL, parent: {} } },
    'the dashboard navigated to another site': {
      sender: { id: dashboard.id },
      senderFrame: { url: 'https://evil.example/', parent: null },
    },
    'a look-alike origin': {
      sender: { id: dashboard.id },
      senderFrame: { url: 'app://candlekeep.evil/index.html', parent: null },
    },
    'a destroyed frame': { sender: { id: dashboard.id }, senderFrame: null },
  };
}

describe('IPC sender validation', () => {
  it('the app registers at least one handler, and the dashboard itself is answered on every channel', async () => {
    const registered = [...desktop.stub.ipcMain.handlers.keys()];
    expect(registered.length).toBeGreaterThan(0);
    const dashboard = desktop.window()!.webContents;
    const trusted = { sender: { id: dashboard.id }, senderFrame: dashboard.mainFrame() };
    for (const ipcChannel of registered) {
      for (const channel of CONTRACT_CHANNELS) {
        // Invalid or missing arguments are fine: the point is that the call got past the sender check.
        expect(
          await desktop.stub.ipcMain.invoke(ipcChannel, trusted, channel, undefined),
          `${ipcChannel} ${channel}`,
        ).not.toEqual(FOREIGN_SENDER);
      }
    }
  });

  it('every registered handler refuses every channel from every foreign sender', async () => {
    const registered = [...desktop.stub.ipcMain.handlers.keys()];
    for (const [who, event] of Object.entries(foreignSenders())) {
      for (const ipcChannel of registered) {
        for (const channel of [...CONTRACT_CHANNELS, 'no:such-channel']) {
          expect(
            await desktop.stub.ipcMain.invoke(ipcChannel, event, channel, undefined),
            `${who}: ${ipcChannel} ${channel}`,
          ).toEqual(FOREIGN_SENDER);
        }
      }
    }
  });

  it('a refused call has no effect, even with valid arguments', async () => {
    const [ipcChannel] = desktop.stub.ipcMain.handlers.keys();
    const event = foreignSenders()['another window']!;
    await desktop.stub.ipcMain.invoke(ipcChannel!, event, 'engine:pause', undefined);
    await desktop.stub.ipcMain.invoke(ipcChannel!, event, 'secrets:set', {
      name: 'coingecko.apiKey',
      value: 'CG-from-a-stranger',
    });
    await desktop.stub.ipcMain.invoke(ipcChannel!, event, 'desktop:open-external', { url: 'https://github.com/' });
    const { runtime, secrets } = desktop.services();
    expect(runtime.engine.currentState).toBe('running');
    expect(secrets.has('coingecko.apiKey')).toBe(false);
    expect(desktop.stub.opened).toEqual([]);
    const refused = runtime.store.audit.list();
    expect(refused.map((r) => [r.actor, r.remote, r.channel, r.outcome])).toEqual([
      ['anonymous', 'ipc', 'desktop:open-external', 'refused'],
      ['anonymous', 'ipc', 'secrets:set', 'refused'],
      ['anonymous', 'ipc', 'engine:pause', 'refused'],
    ]);
    expect(JSON.stringify(refused)).not.toContain('CG-from-a-stranger');
  });

  it('the dashboard window is admin: its changes, desktop-only ones included, are audited as desktop without key values', async () => {
    const [ipcChannel] = desktop.stub.ipcMain.handlers.keys();
    const dashboard = desktop.window()!.webContents;
    const trusted = { sender: { id: dashboard.id }, senderFrame: dashboard.mainFrame() };
    expect(await desktop.stub.ipcMain.invoke(ipcChannel!, trusted, 'session:info', undefined)).toEqual({
      result: { actor: 'desktop', role: 'admin' },
    });
    await desktop.stub.ipcMain.invoke(ipcChannel!, trusted, 'engine:pause', undefined);
    await desktop.stub.ipcMain.invoke(ipcChannel!, trusted, 'secrets:set', {
      name: 'coingecko.apiKey',
      value: 'CG-from-the-owner',
    });
    await desktop.stub.ipcMain.invoke(ipcChannel!, trusted, 'engine:status', undefined);
    const { runtime } = desktop.services();
    expect(runtime.engine.currentState).toBe('paused');
    const rows = runtime.store.audit.list();
    expect(rows.map((r) => [r.actor, r.remote, r.channel, r.outcome])).toEqual([
      ['desktop', 'ipc', 'secrets:set', 'ok'],
      ['desktop', 'ipc', 'engine:pause', 'ok'],
    ]);
    expect(rows[0]!.args).toEqual({ name: 'coingecko.apiKey', value: '[redacted]' });
    expect(JSON.stringify(rows)).not.toContain('CG-from-the-owner');
    // The key change is in the change log, which every engine on this data folder applies.
    expect(runtime.store.configChanges.since(0).filter((c) => c.kind === 'keys')).toHaveLength(1);
  });

  it('pushed events go to the dashboard only', async () => {
    const other = new desktop.stub.BrowserWindow({ show: false });
    desktop.services().runtime.engine.pause();
    expect(desktop.window()!.webContents.sent.length).toBeGreaterThan(0);
    expect(other.webContents.sent).toEqual([]);
  });
});
