/** Navigation with what needs attention on each page, and the engine's controls at the foot. */
import { useMemo } from 'react';
import { hrefOf, type PageName, type Route } from '../routing/route';
import { useHealthStore, useOverallHealth } from '../state/health-store';
import { useAlertsStore } from '../state/alerts-store';
import { useJobsStore } from '../state/jobs-store';
import { EngineControls } from './EngineControls';
import { ThemeToggle } from './ThemeToggle';
import { useIsAdmin } from '../state/session-store';

export const PAGES: Array<{ page: PageName; label: string; key: string; route: Route; adminOnly?: boolean }> = [
  { page: 'overview', label: 'Overview', key: '1', route: { page: 'overview' } },
  { page: 'series', label: 'Series & gaps', key: '2', route: { page: 'series', seriesId: null } },
  { page: 'chart', label: 'Chart', key: '3', route: { page: 'chart', seriesId: null, from: null, to: null } },
  { page: 'backfill', label: 'Backfill', key: '4', route: { page: 'backfill' } },
  { page: 'events', label: 'Events', key: '5', route: { page: 'events' } },
  { page: 'quality', label: 'Quality', key: '6', route: { page: 'quality' } },
  { page: 'settings', label: 'Settings', key: '7', route: { page: 'settings' } },
  { page: 'audit', label: 'Audit', key: '8', route: { page: 'audit' }, adminOnly: true },
];

/** The pages this dashboard's role may open (a read token sees no admin-only page). */
export function usePages(): typeof PAGES {
  const admin = useIsAdmin();
  return useMemo(() => (admin ? PAGES : PAGES.filter((p) => !p.adminOnly)), [admin]);
}

function Count({ n, tone, shortcut }: { n: number; tone?: 'bad' | 'warn'; shortcut: string }) {
  return n > 0 ? (
    <span className="count" data-tone={tone}>
      {n}
    </span>
  ) : (
    <span className="key">{shortcut}</span>
  );
}

export function Sidebar({ current }: { current: PageName }) {
  const health = useOverallHealth();
  const version = useHealthStore((s) => s.app?.version);
  const alerts = useAlertsStore((s) => s.alerts);
  const activeJobs = useJobsStore(
    (s) => s.jobs.filter((j) => j.kind !== 'tail' && (j.state === 'running' || j.state === 'queued')).length,
  );
  const alertTone = alerts.some((a) => a.severity === 'error') ? 'bad' : 'warn';
  const pages = usePages();
  return (
    <nav className="sidebar" aria-label="Pages">
      <div className="brand">
        <span className="dot" data-health={health} data-testid="overall-health" title={`Overall: ${health}`} />
        Candlekeep
      </div>
      <div className="nav">
        {pages.map((p) => (
          <a
            key={p.page}
            href={hrefOf(p.route)}
            aria-current={current === p.page ? 'page' : undefined}
            aria-keyshortcuts={p.key}
          >
            <span>{p.label}</span>
            <Count
              n={p.page === 'events' ? alerts.length : p.page === 'backfill' ? activeJobs : 0}
              tone={p.page === 'events' ? alertTone : undefined}
              shortcut={p.key}
            />
          </a>
        ))}
      </div>
      <div className="sidebar-foot">
        <EngineControls />
        <div className="row">
          <ThemeToggle />
          <span className="faint">{version ? `v${version}` : ''}</span>
        </div>
      </div>
    </nav>
  );
}
