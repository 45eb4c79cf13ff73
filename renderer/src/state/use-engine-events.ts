/**
 * The one root hook that routes pushed engine events into stores (docs/ARCHITECTURE.md "Where things
 * live", dashboard pages): snapshots are re-fetched (debounced) or patched, logs appended to bounded
 * buffers; never polled. After a lost connection comes back, every snapshot is fetched again (pushes were
 * missed meanwhile).
 */
import { useEffect } from 'react';
import type { EngineEvent } from '../../../shared/domain';
import { bridge, onConnection } from '../bridge';
import { desktop } from '../desktop';
import { hrefOfPage } from '../routing/route';
import { seriesSnapshot, seriesTouched } from './series-store';
import { engineStateChanged, healthChanged, loadSources, loadStatus, sourcesSnapshot } from './health-store';
import { ACTIVE_STATES, jobProgressed, loadJobs } from './jobs-store';
import { eventRecorded, queryEvents, useEventsStore } from './events-store';
import { alertCleared, alertRaised, loadAlerts } from './alerts-store';
import { loadSettings, settingsChanged } from './settings-store';
import { useConnectionStore } from './connection-store';
import { loadSession } from './session-store';
import { historySnapshot } from './history-store';
import { cancelQuality, qualityTouched, refreshQuality } from './quality-store';
import { formingStored, formingUpdated } from './forming-store';

/** Recorded events that change a quality report: a revised candle, candles quarantined. */
const QUALITY_EVENT_KINDS: ReadonlySet<EngineEvent['kind']> = new Set(['revision', 'series']);

/**
 * Every snapshot, the overview's first. The engine answers a connection's calls one after another,
 * so the slow ones (status) are asked only once the series list is in: otherwise the overview would
 * wait for them too.
 */
async function loadAll(): Promise<void> {
  await Promise.all([seriesSnapshot.now(), loadSources(), loadJobs(), loadAlerts()]);
  void loadStatus();
  void loadSettings();
  void loadSession();
  if (useEventsStore.getState().loaded) void queryEvents(useEventsStore.getState().query);
}

export function useEngineEvents(): void {
  useEffect(() => {
    void loadAll();
    const offs = [
      onConnection((state) => {
        const was = useConnectionStore.getState().state;
        useConnectionStore.setState({ state });
        if (state === 'open' && was === 'lost') {
          // Quality reports only after the snapshots: they run the checks, the slowest call there is.
          void loadAll().then(refreshQuality);
        }
      }),
      bridge.on('series:changed', (e) => {
        seriesSnapshot.soon();
        sourcesSnapshot.soon();
        if (e.seriesId !== null) seriesTouched(e.seriesId);
        qualityTouched(e.seriesId);
      }),
      bridge.on('candles:forming', (e) => formingUpdated(e.seriesId, e.candle)),
      bridge.on('candles:stored', (e) => {
        formingStored(e.seriesId, e.lastTs);
        seriesSnapshot.soon();
        seriesTouched(e.seriesId);
        qualityTouched(e.seriesId);
      }),
      bridge.on('job:progress', ({ job }) => {
        jobProgressed(job);
        // A finished job may have closed or opened holes: the ledger is part of the gap map.
        if (!ACTIVE_STATES.has(job.state)) {
          seriesSnapshot.soon();
          sourcesSnapshot.soon();
          seriesTouched(job.seriesId);
          qualityTouched(job.seriesId);
        }
      }),
      bridge.on('engine:state', (e) => engineStateChanged(e.state)),
      bridge.on('health:changed', (e) => {
        healthChanged(e.sources, e.status);
        historySnapshot.soon();
      }),
      bridge.on('event:recorded', (e) => {
        eventRecorded(e.event);
        if (QUALITY_EVENT_KINDS.has(e.event.kind)) qualityTouched(e.event.seriesId);
      }),
      bridge.on('alert:raised', (e) => alertRaised(e.alert)),
      bridge.on('alert:cleared', (e) => alertCleared(e.alert)),
      bridge.on('settings:changed', (e) => settingsChanged(e.settings)),
      desktop?.on('desktop:navigate', (e) => (location.hash = hrefOfPage(e.page))) ?? (() => undefined),
    ];
    return () => {
      seriesSnapshot.cancel();
      sourcesSnapshot.cancel();
      cancelQuality();
      offs.forEach((off) => off());
    };
  }, []);
}
