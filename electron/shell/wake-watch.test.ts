/**
 * After sleep, a screen unlock or a network change the live tail is behind: the engine is asked to
 * catch up. The engine is the real one of the desktop app (stand-in Electron, real
 * database); a catch-up shows as its "catching up: <reason>" event in the events table, which is
 * also what the dashboard's Events page lists.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchWake } from './wake-watch.js';
import { startDesktopRig, type DesktopRig } from '../test-support/electron-stub-desktop.js';

let desktop: DesktopRig;
beforeEach(async () => {
  desktop = await startDesktopRig({ argv: ['--hidden'] });
  await vi.waitFor(() => expect(desktop.services().runtime.engine.currentState).toBe('running'));
});
afterEach(() => desktop.close());

const catchUps = (): string[] =>
  desktop
    .services()
    .runtime.store.events.list({})
    .map((e) => e.message)
    .filter((m) => m.startsWith('catching up'))
    .sort();

describe('wake watch', () => {
  it('waking from sleep and unlocking the screen make the engine catch up', () => {
    expect(catchUps()).toEqual([]);
    desktop.stub.powerMonitor.emit('resume');
    desktop.stub.powerMonitor.emit('unlock-screen');
    expect(catchUps()).toEqual(['catching up: resume', 'catching up: unlock-screen']);
  });

  it('coming back online and switching networks make the engine catch up', async () => {
    let network = 'wifi-home';
    desktop.stub.state.online = false;
    const watch = watchWake({
      powerMonitor: desktop.stub.powerMonitor,
      isOnline: () => desktop.stub.net.isOnline(),
      networkFingerprint: () => network,
      engine: desktop.services().engine,
      pollMs: 5,
    });
    try {
      desktop.stub.state.online = true;
      await vi.waitFor(() => expect(catchUps()).toEqual(['catching up: network-online']));
      network = 'wifi-office';
      await vi.waitFor(() =>
        expect(catchUps()).toEqual(['catching up: network-changed', 'catching up: network-online']),
      );
      // Nothing changes: no more catch-ups.
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(catchUps()).toHaveLength(2);
    } finally {
      watch.dispose();
    }
  });

  it('going offline is not a catch-up, and after quit sleep/resume is ignored', async () => {
    const watch = watchWake({
      powerMonitor: desktop.stub.powerMonitor,
      isOnline: () => desktop.stub.net.isOnline(),
      networkFingerprint: () => 'same',
      engine: desktop.services().engine,
      pollMs: 5,
    });
    desktop.stub.state.online = false;
    await new Promise((resolve) => setTimeout(resolve, 30));
    watch.dispose();
    expect(catchUps()).toEqual([]);

    desktop.stub.app.quit();
    await vi.waitFor(() => expect(desktop.stub.app.quitted).toBe(true));
    expect(desktop.stub.powerMonitor.listenerCount('resume')).toBe(0);
    expect(desktop.stub.powerMonitor.listenerCount('unlock-screen')).toBe(0);
  });
});
