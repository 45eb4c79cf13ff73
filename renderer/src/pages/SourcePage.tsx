/**
 * One source over time: success rate, p50/p95 latency, 429/418 and errors by kind, weight spent
 * against the budget, breaker changes and hosts, over 1 h, 24 h, 7 d or 90 d.
 */
import { useState } from 'react';
import { useAnswer } from '../hooks/use-answer';
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { HistoryRange, SourceHistory } from '../../../shared/history';
import { bridge } from '../bridge';
import { hrefOf } from '../routing/route';
import { RangePicker } from '../components/history/RangePicker';
import { AXIS_TICK, ChartCard, TOOLTIP_STYLE } from '../components/history/ChartCard';
import { bucketLabel } from '../view/history-view';
import { formatCount, formatMs, formatPercent } from '../format';
import { useHealthStore } from '../state/health-store';

// Busy buckets between empty ones are drawn as dots as well as lines: a lone failing minute must show.
const ERROR_COLOURS: Record<string, string> = {
  rateLimited: 'var(--warn)',
  banned: 'var(--ban)',
  server_error: 'var(--bad)',
  network: 'var(--down)',
  timeout: 'var(--cov-open)',
  malformed: 'var(--cov-rejected)',
  rejected: 'var(--idle)',
};
const ERROR_NAMES: Record<string, string> = {
  rateLimited: '429 rate limited',
  banned: '418 banned',
  server_error: '5xx',
  network: 'network',
  timeout: 'timeout',
  malformed: 'malformed',
  rejected: 'refused (4xx)',
};

function charts(h: SourceHistory) {
  const label = (at: number): string => bucketLabel(at, h.stepMs);
  const kinds = ['rateLimited', 'banned', ...new Set(h.buckets.flatMap((b) => Object.keys(b.errors)))];
  const data = h.buckets.map((b) => ({
    at: b.at,
    label: label(b.at),
    requests: b.requests,
    success: b.successRate === null ? null : Math.round(b.successRate * 10_000) / 100,
    p50: b.p50Ms,
    p95: b.p95Ms,
    weight: b.weight,
    rateLimited: b.rateLimited,
    banned: b.banned,
    ...b.errors,
  }));
  const perBucketLimit = h.budget ? Math.round((h.budget.limit * h.stepMs) / h.budget.windowMs) : null;
  const withRequests = h.buckets.filter((b) => b.requests);
  return { data, kinds, perBucketLimit, withRequests, label };
}

function SourceCharts({ h }: { h: SourceHistory }) {
  const { data, kinds, perBucketLimit, withRequests, label } = charts(h);
  const axis = <XAxis dataKey="label" tick={AXIS_TICK} minTickGap={24} />;
  const grid = <CartesianGrid stroke="var(--grid)" vertical={false} />;
  return (
    <div className="history-grid">
      <ChartCard
        title="Success rate"
        testId="chart-success"
        table={{
          columns: ['from', 'requests', 'success'],
          rows: withRequests.map((b) => [label(b.at), b.requests, formatPercent(b.successRate, 2)]),
        }}
      >
        <ResponsiveContainer width="100%" height={200}>
          <AreaChart data={data} margin={{ top: 16, right: 8, bottom: 0, left: 0 }}>
            {grid}
            {axis}
            <YAxis domain={[0, 100]} unit="%" tick={AXIS_TICK} width={44} />
            <Tooltip contentStyle={TOOLTIP_STYLE} formatter={(v) => [`${String(v)}%`, 'success']} />
            <Legend />
            <ReferenceLine
              y={99}
              stroke="var(--ok)"
              strokeDasharray="4 3"
              label={{ value: 'target 99%', fill: 'var(--muted)', fontSize: 11, position: 'insideBottomRight' }}
            />
            <Area
              type="stepAfter"
              dataKey="success"
              name="success %"
              stroke="var(--ok)"
              fill="var(--ok)"
              fillOpacity={0.15}
              dot={{ r: 2 }}
              isAnimationActive={false}
              connectNulls={false}
            />
          </AreaChart>
        </ResponsiveContainer>
      </ChartCard>
      <ChartCard
        title="Latency"
        testId="chart-latency"
        table={{
          columns: ['from', 'p50', 'p95'],
          rows: withRequests.map((b) => [label(b.at), formatMs(b.p50Ms), formatMs(b.p95Ms)]),
        }}
      >
        <ResponsiveContainer width="100%" height={200}>
          <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            {grid}
            {axis}
            <YAxis unit=" ms" tick={AXIS_TICK} width={64} />
            <Tooltip
              contentStyle={TOOLTIP_STYLE}
              formatter={(v, name) => [formatMs(typeof v === 'number' ? v : null), name]}
            />
            <Legend />
            <Line
              type="monotone"
              dataKey="p50"
              name="p50"
              stroke="var(--cov-stored)"
              dot={{ r: 2 }}
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="p95"
              name="p95"
              stroke="var(--focus)"
              dot={{ r: 2 }}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </ChartCard>
      <ChartCard
        title="Rate limits and errors"
        testId="chart-errors"
        table={{
          columns: ['from', ...kinds.map((k) => ERROR_NAMES[k] ?? k)],
          rows: withRequests
            .filter((b) => b.rateLimited || b.banned || Object.keys(b.errors).length)
            .map((b) => [label(b.at), b.rateLimited, b.banned, ...kinds.slice(2).map((k) => b.errors[k] ?? 0)]),
        }}
      >
        <ResponsiveContainer width="100%" height={200}>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            {grid}
            {axis}
            <YAxis allowDecimals={false} tick={AXIS_TICK} width={44} />
            <Tooltip contentStyle={TOOLTIP_STYLE} />
            <Legend />
            {kinds.map((k) => (
              <Bar
                key={k}
                dataKey={k}
                name={ERROR_NAMES[k] ?? k}
                stackId="e"
                fill={ERROR_COLOURS[k] ?? 'var(--bad)'}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </ChartCard>
      <ChartCard
        title="Budget: weight spent"
        testId="chart-budget"
        table={{
          columns: ['from', 'weight', 'allowed'],
          rows: withRequests.map((b) => [label(b.at), b.weight, perBucketLimit ?? '—']),
        }}
      >
        <ResponsiveContainer width="100%" height={200}>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            {grid}
            {axis}
            <YAxis tick={AXIS_TICK} width={56} />
            <Tooltip contentStyle={TOOLTIP_STYLE} />
            <Legend />
            <Bar dataKey="weight" name="weight spent" fill="var(--cov-stored)" isAnimationActive={false} />
            {perBucketLimit !== null && (
              <ReferenceLine
                y={perBucketLimit}
                ifOverflow="extendDomain"
                stroke="var(--bad)"
                strokeDasharray="4 3"
                label={{
                  value: `limit ${formatCount(perBucketLimit)} per point`,
                  fill: 'var(--muted)',
                  fontSize: 11,
                  position: 'insideTopRight',
                }}
              />
            )}
          </BarChart>
        </ResponsiveContainer>
      </ChartCard>
    </div>
  );
}

export function SourcePage({ source }: { source: string }) {
  const [range, setRange] = useState<HistoryRange>('1h');
  // Refresh with the engine's health pushes, like the tiles.
  const pushed = useHealthStore((s) => s.sources);
  const { result: history, error } = useAnswer(
    () => bridge.invoke('history:source', { source, range }),
    [source, range, pushed],
  );

  const t = history?.totals;
  const stream = pushed.find((h) => h.source === source)?.stream ?? null;
  return (
    <main className="page" data-testid="source-page">
      <div className="page-header">
        <div>
          <p className="small">
            <a href={hrefOf({ page: 'overview' })}>Overview</a> /
          </p>
          <h1>{source}</h1>
          {t && (
            <span className="sub num" data-testid="source-totals">
              {formatCount(t.requests)} requests · {formatPercent(t.successRate, 2)} ok · p50 {formatMs(t.p50Ms)} · p95{' '}
              {formatMs(t.p95Ms)} · 429 ×{t.rateLimited} · 418 ×{t.banned}
            </span>
          )}
          {stream && (
            <p
              className="small num"
              data-testid="source-page-stream"
              data-tone={stream.state === 'live' ? undefined : 'bad'}
            >
              Live stream: {stream.state} · {stream.streams} streams ·{' '}
              {stream.messagesPerSec === null ? '—' : stream.messagesPerSec.toFixed(1)} msg/s ·{' '}
              {formatCount(stream.reconnects)} reconnects since start
            </p>
          )}
        </div>
        <RangePicker value={range} onChange={setRange} />
      </div>
      {error && (
        <p className="notice" data-tone="bad" role="alert">
          {error}
        </p>
      )}
      {history && history.range === range && (
        <>
          <SourceCharts h={history} />
          <div className="history-grid">
            <section className="panel history-card" data-testid="circuit-changes">
              <header>
                <h2>Circuit-state changes</h2>
              </header>
              {history.circuitChanges.length ? (
                <table className="grid">
                  <thead>
                    <tr>
                      <th scope="col">at</th>
                      <th scope="col">state</th>
                    </tr>
                  </thead>
                  <tbody>
                    {history.circuitChanges.map((c) => (
                      <tr key={`${c.at}-${c.state}`}>
                        <td>{new Date(c.at).toLocaleString()}</td>
                        <td>{c.state.replace('_', '-')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <p className="muted">The breaker stayed closed.</p>
              )}
            </section>
            <section className="panel history-card" data-testid="host-history">
              <header>
                <h2>Hosts</h2>
              </header>
              <table className="grid">
                <thead>
                  <tr>
                    <th scope="col">host</th>
                    <th scope="col">requests</th>
                    <th scope="col">success</th>
                    <th scope="col">p95</th>
                  </tr>
                </thead>
                <tbody>
                  {history.hosts.map((x) => (
                    <tr key={x.host}>
                      <td>{x.host}</td>
                      <td className="num">{formatCount(x.requests)}</td>
                      <td className="num">{formatPercent(x.successRate, 2)}</td>
                      <td className="num">{formatMs(x.p95Ms)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </div>
        </>
      )}
    </main>
  );
}
