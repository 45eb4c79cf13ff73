/**
 * Engine alerts become desktop notifications: the whole desktop app on the stand-in
 * Electron, with a real database in which a series has fallen behind, so the alert rules raise a real
 * "stale" alert. Its source points at a closed loopback port, so it stays behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Store } from '../store/store.js';
import { createPreloadBridge } from './preload-bridge.js';
import { PREFERENCES_FILE } from './desktop-settings.js';
import { settle, startDesktopRig, type DesktopRig, type RigFolders } from '../test-support/electron-stub-desktop.js';
import { tempDir } from '../test-support/temp-db.js';

const HOUR = 3_600_000;
let desktop: DesktopRig | null = null;
const dirs: Array<() => void> = [];
afterEach(async () => {
  await desktop?.close();
  desktop = null;
  for (const cleanup of dirs.splice(0)) cleanup();
});

/** Folders whose database holds `count` enabled 1h series whose last candle is ten hours old. */
function foldersWithStaleSeries(count: number, preferences?: object): { folders: RigFolders; seriesIds: number[] } {
  const { dir: root, cleanup } = tempDir('candlekeep-alerts-');
  dirs.push(cleanup);
  const folders = { root, appPath: path.join(root, 'app'), dataDir: path.join(root, 'data') };
  fs.mkdirSync(path.join(folders.appPath, 'out', 'native'), { recursive: true });
  fs.copyFileSync(
    path.resolve('node_modules/better-sqlite3/build/Release/better_sqlite3.node'),
    path.join(folders.appPath, 'out', 'native', 'better_sqlite3.node'),
  );
  fs.mkdirSync(folders.dataDir, { recursive: true });
  if (preferences) fs.writeFileSync(path.join(folders.dataDir, PREFERENCES_FILE), JSON.stringify(preferences));
  const store = Store.open(path.join(folders.dataDir, 'candlekeep.db'));
  const now = Date.now();
  const seriesIds = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'].slice(0, count).map((symbol) => {
    const series = store.series.ensure({ source: 'binance', symbol, timeframe: '1h' }, now - 12 * HOUR, now);
    const ts = Math.floor((now - 10 * HOUR) / HOUR) * HOUR;
    store.candles.upsert(series.id, [{ ts, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 }]);
    return series.id;
  });
  store.close();
  return { folders, seriesIds };
}

/** Notifications of 'series_stale' alerts ("binance BTCUSDT 1h is 10 candles behind"). */
const staleNotifications = (rig: DesktopRig) =>
  rig.stub.notifications.filter((n) => n.options.body.includes('candles behind'));

describe('alert notifications', () => {
  it('a stale series raises one notification; clicking it opens that series page', async () => {
    const { folders, seriesIds } = foldersWithStaleSeries(1);
    desktop = await startDesktopRig({ folders, argv: ['--hidden'] });
    await vi.waitFor(() => expect(staleNotifications(desktop!)).toHaveLength(1), { timeout: 10_000 });
    const notification = staleNotifications(desktop)[0]!;
    expect(notification.shown).toBe(true);
    expect(notification.options.body).toContain('BTCUSDT 1h');
    expect(desktop.stub.BrowserWindow.instances).toHaveLength(0);

    // The same alert evaluated again (the rules run every few seconds) is not a second notification.
    desktop.services().runtime.alerts.evaluate();
    expect(staleNotifications(desktop)).toHaveLength(1);

    const pages: string[] = [];
    notification.click();
    const window = desktop.window()!;
    createPreloadBridge(desktop.stub.ipcRendererFor(window.webContents)).on('desktop:navigate', ({ page }) =>
      pages.push(page),
    );
    await settle();
    expect(window.isVisible()).toBe(true);
    expect(pages).toEqual([`series/${seriesIds[0]}`]);
  });

  it('muted, the alert is recorded but shows nothing; unmuted from the tray, the next one shows', async () => {
    const { folders, seriesIds } = foldersWithStaleSeries(2, { muteNotifications: true });
    // The second series starts disabled, so only the first is stale at launch.
    const before = Store.open(path.join(folders.dataDir, 'candlekeep.db'));
    before.series.setEnabled(seriesIds[1]!, false);
    before.close();
    desktop = await startDesktopRig({ folders, argv: ['--hidden'] });
    const { runtime } = desktop.services();
    // The alert did happen (it is in the events table)...
    await vi.waitFor(
      () =>
        expect(runtime.store.events.list({}).some((e) => e.kind === 'alert' && e.message.includes('BTCUSDT'))).toBe(
          true,
        ),
      { timeout: 10_000 },
    );
    await settle();
    // ...but the user muted notifications.
    expect(staleNotifications(desktop)).toHaveLength(0);

    desktop.stub.trays[0]!.clickItem('mute');
    expect(desktop.services().settings.get().muteNotifications).toBe(false);
    runtime.store.series.setEnabled(seriesIds[1]!, true);
    runtime.alerts.evaluate();
    await vi.waitFor(() => expect(staleNotifications(desktop!)).toHaveLength(1));
    expect(staleNotifications(desktop)[0]!.options.body).toContain('ETHUSDT 1h');
  });
});
