/**
 * The desktop app's lifecycle, on the stand-in Electron with a real runtime: a real SQLite
 * file, and an engine fetching from the exchange simulator over loopback HTTP.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SourceHttp } from '../net/source-http.js';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import { Store } from '../store/store.js';
import { createPreloadBridge } from './preload-bridge.js';
import { InstanceLocks } from '../test-support/electron-stub.js';
import { settle, startDesktopRig, type DesktopRig } from '../test-support/electron-stub-desktop.js';

const rigs: DesktopRig[] = [];
const sims: Simulator[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0).reverse()) await rig.close();
  for (const sim of sims.splice(0)) await sim.close();
});

async function rig(options: Parameters<typeof startDesktopRig>[0] = {}): Promise<DesktopRig> {
  const started = await startDesktopRig(options);
  rigs.push(started);
  return started;
}

/** A desktop app whose Binance is the simulator (latencyMs: each answer takes that long). */
async function rigWithSimulator(
  latencyMs = 0,
  options: Parameters<typeof startDesktopRig>[0] = {},
): Promise<DesktopRig> {
  const sim = await startSimulator({ seed: 3, latencyMs });
  sims.push(sim);
  return rig({
    ...options,
    env: { CANDLEKEEP_BINANCE_URL: `${sim.url}/binance`, CANDLEKEEP_BINANCE_DATA_URL: `${sim.url}/binance-data` },
  });
}

/** Add a series the way the dashboard does: window.candlekeep.invoke over IPC. */
async function addSeriesFromDashboard(desktop: DesktopRig, hoursBack: number): Promise<number> {
  const window = desktop.window()!;
  const bridge = createPreloadBridge(desktop.stub.ipcRendererFor(window.webContents));
  const series = await bridge.invoke('series:add', {
    source: 'binance',
    symbol: 'BTCUSDT',
    timeframe: '1m',
    from: Date.now() - hoursBack * 3_600_000,
  });
  return series.id;
}

describe('closing the window', () => {
  it('hides the dashboard to the tray while the engine keeps collecting candles', async () => {
    const desktop = await rigWithSimulator();
    await settle();
    const window = desktop.window()!;
    expect(window.isVisible()).toBe(true);
    const seriesId = await addSeriesFromDashboard(desktop, 6);

    // The user clicks the window's close button.
    expect(window.close()).toBe(false);
    expect(window.isVisible()).toBe(false);
    expect(window.isDestroyed()).toBe(false);
    expect(desktop.stub.app.quitted).toBe(false);
    expect(desktop.stub.trays[0]!.isDestroyed()).toBe(false);

    // With the window gone, the backfill still lands in the database: most of six hours of 1m
    // candles (not exactly 360: the simulator has maintenance holes, like real exchanges).
    const { store, engine } = desktop.services().runtime;
    await vi.waitFor(() => expect(store.candles.total(seriesId)).toBeGreaterThan(300), {
      timeout: 20_000,
      interval: 50,
    });
    expect(engine.currentState).toBe('running');
  });

  it('tells the user once that Candlekeep is still running in the tray', async () => {
    const desktop = await rig();
    await settle();
    const window = desktop.window()!;
    window.close();
    desktop.services().openPage(undefined);
    window.close();
    const hints = desktop.stub.notifications.filter((n) => n.options.title === 'Candlekeep is still running');
    expect(hints).toHaveLength(1);
    expect(hints[0]!.shown).toBe(true);
  });

  it('shows the same window again from the tray, not a second one', async () => {
    const desktop = await rig();
    await settle();
    desktop.window()!.close();
    desktop.stub.trays[0]!.clickItem('open');
    expect(desktop.stub.BrowserWindow.instances).toHaveLength(1);
    expect(desktop.window()!.isVisible()).toBe(true);
  });
});

describe('quit', () => {
  it('stops the engine and drains the fetch in flight, then closes the database, then the tray, then the window', async () => {
    // Each simulated answer takes 300 ms, so Quit lands while a request is on the wire.
    const desktop = await rigWithSimulator(300);
    await settle();
    const seriesId = await addSeriesFromDashboard(desktop, 48);
    await vi.waitFor(() => expect(SourceHttp.inFlight).toBeGreaterThan(0), { timeout: 10_000, interval: 5 });

    const { runtime, tray } = desktop.services();
    const seen: string[] = [];
    const stopEngine = runtime.engine.stop.bind(runtime.engine);
    vi.spyOn(runtime.engine, 'stop').mockImplementation(async () => {
      // runtime.close() asks once more, a no-op on a stopped engine: only the real stop counts.
      if (runtime.engine.currentState === 'stopped') return stopEngine();
      seen.push(`engine stop asked (requests in flight: ${SourceHttp.inFlight > 0})`);
      await stopEngine();
      seen.push(`engine stopped (requests in flight: ${SourceHttp.inFlight > 0})`);
    });
    const closeStore = runtime.store.close.bind(runtime.store);
    vi.spyOn(runtime.store, 'close').mockImplementation(() => {
      seen.push(
        `database closed (engine ${runtime.engine.currentState}, requests in flight: ${SourceHttp.inFlight > 0})`,
      );
      closeStore();
    });
    const destroyTray = tray.dispose.bind(tray);
    vi.spyOn(tray, 'dispose').mockImplementation(() => {
      seen.push('tray destroyed');
      destroyTray();
    });
    desktop.window()!.on('closed', () => seen.push('window destroyed'));
    desktop.stub.app.on('will-quit', () => seen.push('app quits'));

    desktop.stub.trays[0]!.clickItem('quit');
    // Quit is held until the shutdown is done.
    expect(desktop.stub.app.quitted).toBe(false);
    await vi.waitFor(() => expect(desktop.stub.app.quitted).toBe(true), { timeout: 20_000 });

    expect(seen).toEqual([
      'engine stop asked (requests in flight: true)',
      'engine stopped (requests in flight: false)',
      'database closed (engine stopped, requests in flight: false)',
      'tray destroyed',
      'window destroyed',
      'app quits',
    ]);
    expect(await desktop.app!.shutdown()).toMatchObject({ failed: [] });

    // What was stored is intact and readable by the next launch.
    const reopened = Store.open(runtime.store.file);
    try {
      expect(reopened.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(reopened.series.get(seriesId)).not.toBeNull();
    } finally {
      reopened.close();
    }
  });

  it('runs the shutdown once however many times Quit is asked', async () => {
    const desktop = await rig();
    const { runtime } = desktop.services();
    const closeDatabase = vi.spyOn(runtime, 'close');
    // Tray Quit, then the OS asking again (logout) while the first shutdown is still running.
    desktop.stub.trays[0]!.clickItem('quit');
    desktop.stub.app.quit();
    await vi.waitFor(() => expect(desktop.stub.app.quitted).toBe(true));
    expect(closeDatabase).toHaveBeenCalledTimes(1);
    expect(desktop.stub.trays[0]!.isDestroyed()).toBe(true);
  });
});

describe('single instance', () => {
  it('a second launch shows the first instance window and quits without opening the database', async () => {
    const locks = new InstanceLocks();
    const first = await rig({ locks, argv: ['--hidden'] });
    expect(first.stub.BrowserWindow.instances).toHaveLength(0);

    const second = await rig({ locks, folders: first.folders });
    expect(second.app).toBeNull();
    expect(second.stub.app.quitted).toBe(true);
    expect(second.stub.trays).toHaveLength(0);

    await settle();
    const window = first.window()!;
    expect(window.isVisible()).toBe(true);
    expect(window.focused).toBe(true);
  });

  it('a second launch restores a minimized window', async () => {
    const locks = new InstanceLocks();
    const first = await rig({ locks });
    await settle();
    first.window()!.minimize();
    await rig({ locks, folders: first.folders });
    expect(first.window()!.isMinimized()).toBe(false);
    expect(first.window()!.focused).toBe(true);
  });

  it('a second launch with --hidden (start at login) leaves the first one in the tray', async () => {
    const locks = new InstanceLocks();
    const first = await rig({ locks, argv: ['--hidden'] });
    await rig({ locks, folders: first.folders, argv: ['--hidden'] });
    await settle();
    expect(first.stub.BrowserWindow.instances).toHaveLength(0);
  });

  it('--hidden starts in the tray with the engine running and no window', async () => {
    const desktop = await rig({ argv: ['--hidden'] });
    await settle();
    expect(desktop.stub.BrowserWindow.instances).toHaveLength(0);
    expect(desktop.stub.trays).toHaveLength(1);
    expect(desktop.services().runtime.engine.currentState).toBe('running');
  });
});
