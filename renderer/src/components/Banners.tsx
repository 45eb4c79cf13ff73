/** Loud strips above every page: the engine is unreachable, or alerts are active. */
import { useConnectionStore } from '../state/connection-store';
import { useAlertsStore } from '../state/alerts-store';
import { hrefOfPage } from '../routing/route';

export function ConnectionBanner() {
  const state = useConnectionStore((s) => s.state);
  if (state !== 'lost') return null;
  return (
    <div className="banner" data-tone="bad" role="alert" data-testid="connection-banner">
      Connection to Candlekeep lost — reconnecting. Figures below may be out of date; is <code>candlekeep serve</code>{' '}
      still running?
    </div>
  );
}

export function AlertBanner() {
  const alerts = useAlertsStore((s) => s.alerts);
  if (!alerts.length) return null;
  const worst = alerts.some((a) => a.severity === 'error') ? 'bad' : 'warn';
  const first = alerts[0]!;
  return (
    <div className="banner" data-tone={worst} role="status" data-testid="alert-banner">
      <strong>{alerts.length === 1 ? first.title : `${alerts.length} alerts`}</strong>
      <span>
        {alerts.length === 1
          ? first.message
          : alerts
              .map((a) => a.title)
              .slice(0, 3)
              .join(' · ')}
      </span>
      <a href={alerts.length === 1 ? hrefOfPage(first.page) : '#/events'}>
        {alerts.length === 1 ? 'Show' : 'Show all'}
      </a>
    </div>
  );
}
