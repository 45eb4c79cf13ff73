/**
 * After sleep, a screen unlock or a network change, the live tail is behind: ask the engine to catch
 * up. Sleep and unlock come from powerMonitor. Electron has no network-change event in
 * main, so a self re-arming timer (never setInterval: docs/ARCHITECTURE.md "Conventions") compares
 * net.isOnline() and the set of local addresses with the last look.
 */
import os from 'node:os';
import type { CatchUpReason, EnginePort } from './engine-port.js';
import type { PowerMonitorLike } from './electron-api.js';

export interface WakeWatchOptions {
  powerMonitor: PowerMonitorLike;
  isOnline: () => boolean;
  /** Changes when the machine's network attachment changes (new Wi-Fi, VPN up, cable). */
  networkFingerprint?: () => string;
  engine: Pick<EnginePort, 'catchUp'>;
  pollMs?: number;
}

export interface WakeWatch {
  dispose(): void;
}

/** Sorted external addresses: stable while nothing changes, different after a switch of network. */
export function addressFingerprint(interfaces = os.networkInterfaces()): string {
  const addresses: string[] = [];
  for (const list of Object.values(interfaces)) {
    for (const entry of list ?? []) if (!entry.internal) addresses.push(entry.address);
  }
  return addresses.sort().join(',');
}

export function watchWake(options: WakeWatchOptions): WakeWatch {
  const { engine, powerMonitor } = options;
  const fingerprint = options.networkFingerprint ?? (() => addressFingerprint());
  const pollMs = options.pollMs ?? 10_000;
  const catchUp = (reason: CatchUpReason): void => {
    try {
      engine.catchUp(reason);
    } catch {
      // A failed catch-up request must not stop the watcher; the engine's own loop retries anyway.
    }
  };

  const onResume = (): void => catchUp('resume');
  const onUnlock = (): void => catchUp('unlock-screen');
  powerMonitor.on('resume', onResume);
  powerMonitor.on('unlock-screen', onUnlock);

  let online = options.isOnline();
  let lastPrint = fingerprint();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  const look = (): void => {
    try {
      const nowOnline = options.isOnline();
      const print = fingerprint();
      if (nowOnline && !online) catchUp('network-online');
      else if (nowOnline && print !== lastPrint) catchUp('network-changed');
      online = nowOnline;
      lastPrint = print;
    } finally {
      if (!disposed) timer = setTimeout(look, pollMs);
    }
  };
  timer = setTimeout(look, pollMs);

  return {
    dispose() {
      disposed = true;
      clearTimeout(timer);
      powerMonitor.removeListener('resume', onResume);
      powerMonitor.removeListener('unlock-screen', onUnlock);
    },
  };
}
