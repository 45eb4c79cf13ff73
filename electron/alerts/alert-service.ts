/**
 * Evaluates the alert rules every few seconds (a re-arming loop on the injected clock), raises and
 * clears alerts exactly once per transition, and delivers them: events table, pushed events (the
 * dashboard; the desktop shell turns them into notifications) and the optional webhook. The same
 * tick pushes source health to every front when it changed, so no front polls.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Store } from '../store/store.js';
import type { Clock } from '../net/clock.js';
import type { EventBus } from '../../shared/event-bus.js';
import type { HealthService } from '../health/health-service.js';
import type { HistoryService } from '../health/history-service.js';
import type { SloReport } from '../../shared/history.js';
import { recordEvent } from '../engine/events.js';
import { diffAlerts, evaluateAlerts } from './alert-rules.js';
import { WebhookSender } from './webhook.js';
import type { Alert } from '../../shared/health.js';

export const ALERT_INTERVAL_MS = 10_000;
/** SLOs sum a week of buckets: recomputed once a minute of the engine's clock, not every tick. */
const SLO_EVERY_MS = 60_000;

export class AlertService {
  private active: Alert[] = [];
  private readonly downSince = new Map<string, number>();
  private readonly webhook: WebhookSender;
  private stopController = new AbortController();
  private loop: Promise<void> | null = null;
  private lastHealth = '';
  private slo: SloReport | null = null;

  constructor(
    private readonly store: Store,
    private readonly health: HealthService,
    private readonly clock: Clock,
    private readonly events: EventBus,
    private readonly history?: HistoryService,
  ) {
    this.webhook = new WebhookSender(
      clock,
      () => this.store.settings.get().alerts.webhookUrl,
      (message) => recordEvent({ store, clock, events }, { kind: 'alert', severity: 'warning', message }),
    );
  }

  list(): Alert[] {
    return [...this.active];
  }

  /** Re-evaluate now; returns the active alerts. */
  evaluate(): Alert[] {
    const now = this.clock.now();
    const sources = this.health.sources();
    for (const s of sources) {
      if (s.status === 'down') {
        if (!this.downSince.has(s.source)) this.downSince.set(s.source, now);
      } else this.downSince.delete(s.source);
    }
    const series = this.store.series
      .summaries()
      .map((s) => ({ series: s, freshness: this.health.freshness(s, s.lastTs, now) }));
    const current = evaluateAlerts(this.store.settings.get().alerts.rules, {
      now,
      sources,
      downSince: this.downSince,
      series,
      openHoles: this.store.holes.list().filter((h) => h.state === 'open'),
      // The disk of a PostgreSQL server is not this machine's to measure.
      freeBytes: this.store.dialect === 'sqlite' ? freeBytes(path.dirname(this.store.file)) : null,
      slo: this.currentSlo(now),
    });
    const { raised, cleared } = diffAlerts(this.active, current);
    // Keep the first-seen `since` of alerts that stay active.
    this.active = current.map((a) => this.active.find((b) => b.id === a.id) ?? a);
    const deps = { store: this.store, clock: this.clock, events: this.events };
    for (const alert of raised) {
      recordEvent(deps, {
        kind: 'alert',
        severity: alert.severity,
        message: `${alert.title}: ${alert.message}`,
        data: { id: alert.id, kind: alert.kind, page: alert.page },
      });
      this.events.emit('alert:raised', { alert });
      this.webhook.send('firing', alert);
    }
    for (const alert of cleared) {
      recordEvent(deps, {
        kind: 'alert_cleared',
        severity: 'info',
        message: `resolved: ${alert.title}`,
        data: { id: alert.id, kind: alert.kind },
      });
      this.events.emit('alert:cleared', { alert });
      this.webhook.send('resolved', alert);
    }
    const status = this.health.status(this.active.length, this.staleThreshold());
    const snapshot = JSON.stringify({ sources, status });
    if (snapshot !== this.lastHealth) {
      this.lastHealth = snapshot;
      this.events.emit('health:changed', { sources, status });
    }
    return this.list();
  }

  /** The SLOs when a rule wants them (computing them costs a scan of a week's buckets). */
  private currentSlo(now: number): SloReport | null {
    if (!this.history || !this.store.settings.get().alerts.rules.some((r) => r.kind === 'slo_missed' && r.enabled))
      return null;
    if (!this.slo || now - this.slo.at >= SLO_EVERY_MS) this.slo = this.history.slo();
    return this.slo;
  }

  private staleThreshold(): number {
    return this.store.settings.get().alerts.rules.find((r) => r.kind === 'series_stale')?.threshold ?? 3;
  }

  start(): void {
    this.stopController = new AbortController();
    const signal = this.stopController.signal;
    this.loop = (async () => {
      while (!signal.aborted) {
        try {
          this.evaluate();
        } catch {
          // a failed evaluation (e.g. the database closing) must not end the loop
        }
        await this.clock.sleep(ALERT_INTERVAL_MS, signal);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    await this.loop;
    await this.webhook.drained();
  }

  webhookDrained(): Promise<void> {
    return this.webhook.drained();
  }
}

function freeBytes(dir: string): number | null {
  try {
    const stat = fs.statfsSync(dir);
    return stat.bavail * stat.bsize;
  } catch {
    return null;
  }
}
