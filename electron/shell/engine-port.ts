/**
 * What the desktop shell needs from the engine, and nothing more. The tray, notifications and the
 * sleep/network watchers code against this port so the shell never reaches into scheduler internals;
 * the engine (or, until it lands, the runtime adapter in runtime-engine-port.ts) implements it.
 * No Electron import here: the port is plain data and callbacks.
 */

/** Overall health, worst first in the tray: 'down' beats 'degraded' beats 'ok'. */
export type EngineHealth = 'ok' | 'degraded' | 'down';

export type EngineRunState = 'running' | 'paused';

/** A snapshot small enough to redraw the tray from on every change. */
export interface EngineStatus {
  state: EngineRunState;
  health: EngineHealth;
  /** Enabled series whose newest closed candle is stored. */
  seriesUpToDate: number;
  seriesTotal: number;
  /** Holes in the ledger still to repair (state 'open'). */
  openHoles: number;
}

export type AlertSeverity = 'info' | 'warning' | 'error';

/** Something the user should hear about even with the window closed. */
export interface EngineAlert {
  /** Stable id: the same alert raised twice is one notification. */
  id: string;
  severity: AlertSeverity;
  title: string;
  message: string;
  /** Dashboard page that explains it (e.g. 'overview', 'series/12'); opened when the notification is clicked. */
  page?: string;
}

/** Why the shell asks for a catch-up: the engine may log it and decides what to re-check. */
export type CatchUpReason = 'resume' | 'unlock-screen' | 'network-online' | 'network-changed';

export interface EnginePort {
  /** Begin backfilling and tailing (the desktop app runs the engine like `candlekeep daemon`). */
  start(): Promise<void>;
  status(): EngineStatus;
  /** Called with the new status whenever it changes; returns the unsubscribe function. */
  onStatus(listener: (status: EngineStatus) => void): () => void;
  pauseAll(): void;
  resumeAll(): void;
  /** Re-check every series now (after sleep or a network change the live tail is behind). */
  catchUp(reason: CatchUpReason): void;
  onAlert(listener: (alert: EngineAlert) => void): () => void;
  /** Stop schedulers and wait for in-flight fetches to finish or abort. Idempotent. */
  stop(): Promise<void>;
}
