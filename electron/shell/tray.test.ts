/**
 * The tray: its icon, tooltip and status line follow the engine, and its menu actions
 * reach the engine. Counts come from a real SQLite store through the runtime adapter; the actions
 * run against the whole desktop app on the stand-in Electron.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../net/clock.js';
import { EventBus } from '../../shared/event-bus.js';
import { Store } from '../store/store.js';
import { createTray } from './tray.js';
import type { EngineAlert, EnginePort, EngineStatus } from './engine-port.js';
import { engineStatusPort } from './engine-status-port.js';
import { createRuntime } from '../runtime.js';
import { DESKTOP_CALLER } from '../server/caller.js';
import { FileSecretStore } from '../secrets/file-secret-store.js';
import { unlookedHole } from '../engine/hole-ledger.js';
import { TRAY_ICON_KEYS, type TrayIconKey } from './tray-model.js';
import { createElectronStub, type StubTray } from '../test-support/electron-stub.js';
import { settle, startDesktopRig, type DesktopRig } from '../test-support/electron-stub-desktop.js';
import { tempDbPath } from '../test-support/temp-db.js';

const HOUR = 3_600_000;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A tray on the stand-in Electron, icons named after their state's file. */
function trayFor(engine: EnginePort): {
  tray: StubTray;
  quit: ReturnType<typeof vi.fn>;
  open: ReturnType<typeof vi.fn>;
} {
  const stub = createElectronStub();
  const icons = Object.fromEntries(
    TRAY_ICON_KEYS.map((k) => [k, stub.nativeImage.createFromPath(`/icons/tray-${k}.png`)]),
  ) as Record<TrayIconKey, ReturnType<typeof stub.nativeImage.createFromPath>>;
  const quit = vi.fn();
  const open = vi.fn();
  const controller = createTray({
    Tray: stub.Tray,
    Menu: stub.Menu,
    icons,
    engine,
    preferences: () => ({ muted: false, startAtLogin: false }),
    actions: { openDashboard: open, setMuted: () => undefined, setStartAtLogin: () => undefined, quit },
    clickOpensDashboard: true,
  });
  cleanups.push(() => controller.dispose());
  return { tray: stub.trays[0]!, quit, open };
}

/** An engine port whose status the test sets, for the states a real engine only reaches after minutes of failures. */
function engineIn(status: EngineStatus): EnginePort & { set(next: Partial<EngineStatus>): void } {
  let current = status;
  const listeners = new Set<(s: EngineStatus) => void>();
  return {
    start: async () => undefined,
    stop: async () => undefined,
    status: () => current,
    onStatus: (l) => (listeners.add(l), () => listeners.delete(l)),
    pauseAll: () => undefined,
    resumeAll: () => undefined,
    catchUp: () => undefined,
    onAlert: (_l: (a: EngineAlert) => void) => () => undefined,
    set(next) {
      current = { ...current, ...next };
      for (const l of listeners) l(current);
    },
  };
}

describe('tray icon and tooltip', () => {
  const base: EngineStatus = { state: 'running', health: 'ok', seriesUpToDate: 1, seriesTotal: 1, openHoles: 0 };

  it.each([
    [{ health: 'ok' }, 'tray-ok.png', 'all sources healthy'],
    [{ health: 'degraded' }, 'tray-degraded.png', 'some sources degraded'],
    [{ health: 'down' }, 'tray-down.png', 'sources down'],
    // Paused wins over health: nothing is fetched, so the last health is stale.
    [{ health: 'down', state: 'paused' }, 'tray-paused.png', 'paused'],
  ] as const)('engine %o shows %s', (change, icon, words) => {
    const engine = engineIn(base);
    const { tray } = trayFor(engine);
    engine.set(change);
    expect(tray.imagePath()).toBe(`/icons/${icon}`);
    expect(tray.tooltip.split('\n')[0]).toBe(`Candlekeep — ${words}`);
  });
});

describe('tray status from the health service', () => {
  it('counts enabled series up to date and open holes, follows new writes, and never disagrees with the dashboard', async () => {
    const db = tempDbPath();
    const now = Date.UTC(2026, 0, 10, 12, 30);
    const runtime = createRuntime({
      dbPath: db.file,
      clock: new ManualClock(now),
      env: {},
      shell: 'electron',
      secrets: new FileSecretStore(`${db.file}.keys.json`),
    });
    cleanups.push(async () => (await runtime.close(), db.cleanup()));
    const { store, events } = runtime;
    const fresh = store.series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1h' }, now - 48 * HOUR, now);
    const behind = store.series.ensure({ source: 'binance', symbol: 'ETHUSDT', timeframe: '1h' }, now - 48 * HOUR, now);
    const candle = (ts: number) => ({ ts, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 });
    // The last closed 1h candle opened at 11:00.
    store.candles.upsert(fresh.id, [candle(Date.UTC(2026, 0, 10, 10)), candle(Date.UTC(2026, 0, 10, 11))]);
    store.candles.upsert(behind.id, [candle(Date.UTC(2026, 0, 10, 5))]);
    store.holes.replace(
      behind.id,
      [],
      [unlookedHole({ from: Date.UTC(2026, 0, 10, 1), to: Date.UTC(2026, 0, 10, 3) }, 'missing', null)],
      now,
    );

    // The engine itself is not started (no source is reachable here): health and counts are the point.
    const engine = engineStatusPort({
      runtime: { events, health: runtime.health, alerts: runtime.alerts },
      debounceMs: 1,
    });
    cleanups.push(() => engine.stop());
    const { tray } = trayFor(engine);
    /** What the dashboard and its window title show (engine:status over the API). */
    const dashboard = async () => runtime.handlers['engine:status'](undefined, DESKTOP_CALLER);
    expect(tray.labels()).toContain('1 of 2 series up to date · 1 open hole');
    // ETHUSDT is six candles behind: stale, so degraded, in the tray as on the dashboard.
    expect((await dashboard()).health).toBe('degraded');
    expect(tray.imagePath()).toBe('/icons/tray-degraded.png');

    // The engine stores the missing candles and the ledger gains a hole: the tray follows.
    store.candles.upsert(behind.id, [candle(Date.UTC(2026, 0, 10, 11))]);
    store.holes.replace(
      fresh.id,
      [],
      [unlookedHole({ from: Date.UTC(2026, 0, 9, 1), to: Date.UTC(2026, 0, 9, 2) }, 'missing', null)],
      now,
    );
    events.emit('series:changed', { seriesId: behind.id });
    await vi.waitFor(() => expect(tray.labels()).toContain('2 of 2 series up to date · 2 open holes'));
    const view = await dashboard();
    expect(view).toMatchObject({ health: 'ok', seriesUpToDate: 2, seriesTotal: 2, openHoles: 2 });
    expect(engine.status()).toMatchObject({
      health: view.health,
      seriesUpToDate: view.seriesUpToDate,
      seriesTotal: view.seriesTotal,
      openHoles: view.openHoles,
    });
    expect(tray.imagePath()).toBe('/icons/tray-ok.png');
  });
});

describe('tray menu actions', () => {
  let desktop: DesktopRig;
  afterEach(async () => desktop.close());

  it('Pause all and Resume all reach the engine, and the menu and icon follow', async () => {
    desktop = await startDesktopRig({ argv: ['--hidden'] });
    const tray = desktop.stub.trays[0]!;
    const { engine } = desktop.services().runtime;
    await vi.waitFor(() => expect(engine.currentState).toBe('running'));

    tray.clickItem('pause');
    expect(engine.currentState).toBe('paused');
    expect(tray.imagePath()).toMatch(/tray-paused\.png$/);
    expect(tray.item('pause')).toBeUndefined();

    tray.clickItem('resume');
    expect(engine.currentState).toBe('running');
    expect(tray.imagePath()).toMatch(/tray-ok\.png$/);
    expect(tray.item('pause')?.label).toBe('Pause all');
    const audit = desktop.services().runtime.store.audit.list();
    expect(audit.map((r) => [r.actor, r.remote, r.channel, r.outcome])).toEqual([
      ['desktop', 'tray', 'engine:resume', 'ok'],
      ['desktop', 'tray', 'engine:pause', 'ok'],
    ]);
  });

  it('Open dashboard opens the window, and a left click does too (Linux, Windows)', async () => {
    desktop = await startDesktopRig({ argv: ['--hidden'] });
    const tray = desktop.stub.trays[0]!;
    tray.clickItem('open');
    await settle();
    expect(desktop.window()?.isVisible()).toBe(true);
    desktop.window()!.close();
    tray.emit('click');
    expect(desktop.window()?.isVisible()).toBe(true);
  });

  it('Mute notifications is remembered and shown checked', async () => {
    desktop = await startDesktopRig({ argv: ['--hidden'] });
    const tray = desktop.stub.trays[0]!;
    expect(tray.item('mute')?.checked).toBe(false);
    tray.clickItem('mute');
    expect(tray.item('mute')?.checked).toBe(true);
    expect(desktop.services().settings.get().muteNotifications).toBe(true);
  });

  it('Quit stops the engine and quits the app', async () => {
    desktop = await startDesktopRig({ argv: ['--hidden'] });
    const { engine } = desktop.services().runtime;
    desktop.stub.trays[0]!.clickItem('quit');
    await vi.waitFor(() => expect(desktop.stub.app.quitted).toBe(true));
    expect(engine.currentState).toBe('stopped');
  });
});
