/**
 * One source at a glance: status, its last hour as a heartbeat bar and a p95 sparkline, success
 * rate, latency, budget, circuit, ban countdown, last error. A click opens the source's page.
 */
import type { SourceHealth, SourceStatus } from '../../../shared/health';
import { StatusBadge, type Tone } from './StatusBadge';
import { BudgetGauge } from './BudgetGauge';
import { Countdown } from './Countdown';
import { Time } from './Time';
import { formatCount, formatMs, formatPercent } from '../format';
import { HeartbeatBar } from './history/HeartbeatBar';
import { LatencySparkline } from './history/LatencySparkline';
import { useHeartbeat } from '../state/history-store';
import { hrefOf, navigate } from '../routing/route';

const TONE: Record<SourceStatus, Tone> = { ok: 'ok', idle: 'quiet', degraded: 'warn', down: 'bad', banned: 'ban' };

const CIRCUIT: Record<SourceHealth['circuit'], string> = {
  closed: 'closed',
  open: 'open — not calling',
  half_open: 'half-open — probing',
};

export function SourceTile({ health, now }: { health: SourceHealth; now: number }) {
  const h = health;
  const hostsUp = h.hosts.filter((x) => x.healthy).length;
  const heartbeat = useHeartbeat(h.source);
  const route = { page: 'source', source: h.source } as const;
  return (
    // The title is the keyboard's link; a click anywhere else on the tile goes to the same page.
    <article
      className="tile clickable"
      data-status={h.status}
      data-testid="source-tile"
      aria-label={`${h.source}: ${h.status}`}
      onClick={() => navigate(route)}
    >
      <header>
        <h3>
          <a href={hrefOf(route)} onClick={(e) => e.stopPropagation()}>
            {h.source}
          </a>
        </h3>
        <StatusBadge tone={TONE[h.status]} label={h.status} testId="source-status" />
      </header>
      {h.retryAfterUntil !== null && (
        <p className="tile-alert" data-tone={h.status === 'banned' ? 'ban' : 'warn'}>
          {h.status === 'banned' ? 'Banned' : 'Told to wait'} — requests resume in{' '}
          <Countdown until={h.retryAfterUntil} />
        </p>
      )}
      {heartbeat && <HeartbeatBar heartbeat={heartbeat} />}
      {heartbeat && <LatencySparkline heartbeat={heartbeat} />}
      <dl className="stats">
        <div>
          <dt>Success, 5 min</dt>
          <dd data-tone={h.successRate !== null && h.successRate < 0.9 ? 'bad' : undefined}>
            {formatPercent(h.successRate)}
          </dd>
        </div>
        <div>
          <dt>Latency p95</dt>
          <dd>{formatMs(h.latencyP95Ms)}</dd>
        </div>
        <div>
          <dt>Requests, 5 min</dt>
          <dd>
            {formatCount(h.requests5m)}
            {h.errors5m > 0 && <span className="error-text"> · {formatCount(h.errors5m)} failed</span>}
          </dd>
        </div>
        <div>
          <dt>Circuit</dt>
          <dd data-tone={h.circuit === 'closed' ? undefined : 'bad'}>{CIRCUIT[h.circuit]}</dd>
        </div>
        {h.hosts.length > 1 && (
          <div>
            <dt>Hosts</dt>
            <dd data-tone={hostsUp < h.hosts.length ? 'bad' : undefined}>
              {hostsUp} / {h.hosts.length} healthy
            </dd>
          </div>
        )}
        {h.stream && (
          <div data-testid="source-stream">
            <dt>Stream</dt>
            <dd data-tone={h.stream.state === 'live' ? undefined : 'bad'}>
              {h.stream.state} · {h.stream.streams} streams ·{' '}
              {h.stream.messagesPerSec === null ? '—' : h.stream.messagesPerSec.toFixed(1)} msg/s ·{' '}
              {formatCount(h.stream.reconnects)} reconnects
            </dd>
          </div>
        )}
        {h.rateLimited1h > 0 && (
          <div>
            <dt>Rate-limited, 1 h</dt>
            <dd data-tone="bad">{h.rateLimited1h}×</dd>
          </div>
        )}
      </dl>
      <BudgetGauge used={h.budgetUsed} external={h.budgetExternal} limit={h.budgetLimit} windowMs={h.budgetWindowMs} />
      <footer className="small">
        {h.lastError && (h.lastSuccessAt === null || h.lastError.at > h.lastSuccessAt || h.status !== 'ok') ? (
          <p className="last-error" data-testid="source-last-error">
            <span className="error-text">Last error</span> <Time ts={h.lastError.at} style="ago" now={now} />:{' '}
            {h.lastError.message}
          </p>
        ) : (
          <p className="muted">
            {h.lastSuccessAt !== null ? (
              <>
                Last success <Time ts={h.lastSuccessAt} style="ago" now={now} />
              </>
            ) : (
              'No requests yet'
            )}
          </p>
        )}
      </footer>
    </article>
  );
}
