/** A series over time: completeness and lag behind the live edge (hourly samples), holes per day. */
import { useState } from 'react';
import { useAnswer } from '../../hooks/use-answer';
import {
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
import type { HistoryRange } from '../../../../shared/history';
import { bridge } from '../../bridge';
import { RangePicker } from './RangePicker';
import { AXIS_TICK, ChartCard, TOOLTIP_STYLE } from './ChartCard';
import { bucketLabel } from '../../view/history-view';
import { formatDuration, formatPercent } from '../../format';

const DAY = 86_400_000;

export function SeriesHistorySection({ seriesId, refresh }: { seriesId: number; refresh: unknown }) {
  const [range, setRange] = useState<HistoryRange>('7d');
  const { result: h, error } = useAnswer(
    () => bridge.invoke('history:series', { seriesId, range }),
    [seriesId, range, refresh],
  );

  const stepMs = range === '90d' ? DAY : 3_600_000;
  const points = (h?.points ?? []).map((p) => ({
    label: bucketLabel(p.at, stepMs),
    completeness: p.completeness === null ? null : Math.round(p.completeness * 100_000) / 1_000,
    lagMin: Math.round(p.lagMs / 600) / 100,
  }));
  const days = (h?.holesByDay ?? []).map((d) => ({ label: bucketLabel(d.day, DAY), ...d }));
  const axis = <XAxis dataKey="label" tick={AXIS_TICK} minTickGap={24} />;
  const grid = <CartesianGrid stroke="var(--grid)" vertical={false} />;
  return (
    <section className="section" data-testid="series-history">
      <div className="section-header">
        <h2>Over time</h2>
        <RangePicker value={range} onChange={setRange} />
      </div>
      {error && (
        <p className="notice" data-tone="bad" role="alert">
          {error}
        </p>
      )}
      {h && !h.points.length && (
        <p className="muted">No samples yet: the engine records one an hour (the first within a minute of starting).</p>
      )}
      {h && (
        <div className="history-grid">
          <ChartCard
            title="Completeness"
            testId="chart-completeness"
            table={{
              columns: ['hour', 'completeness'],
              rows: h.points.map((p) => [bucketLabel(p.at, stepMs), formatPercent(p.completeness, 3)]),
            }}
          >
            <ResponsiveContainer width="100%" height={180}>
              <LineChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
                {grid}
                {axis}
                <YAxis domain={['auto', 100]} unit="%" tick={AXIS_TICK} width={52} />
                <Tooltip contentStyle={TOOLTIP_STYLE} formatter={(v) => [`${String(v)}%`, 'completeness']} />
                <Legend />
                <ReferenceLine y={100} stroke="var(--ok)" strokeDasharray="4 3" />
                <Line
                  type="stepAfter"
                  dataKey="completeness"
                  name="completeness %"
                  stroke="var(--ok)"
                  dot={false}
                  isAnimationActive={false}
                />
              </LineChart>
            </ResponsiveContainer>
          </ChartCard>
          <ChartCard
            title="Lag behind the live edge"
            testId="chart-lag"
            table={{
              columns: ['hour', 'worst lag'],
              rows: h.points.map((p) => [bucketLabel(p.at, stepMs), formatDuration(p.lagMs)]),
            }}
          >
            <ResponsiveContainer width="100%" height={180}>
              <LineChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
                {grid}
                {axis}
                <YAxis unit=" min" tick={AXIS_TICK} width={56} />
                <Tooltip contentStyle={TOOLTIP_STYLE} formatter={(v) => [`${String(v)} min`, 'worst lag']} />
                <Legend />
                <Line
                  type="stepAfter"
                  dataKey="lagMin"
                  name="worst lag (min)"
                  stroke="var(--warn)"
                  dot={false}
                  isAnimationActive={false}
                />
              </LineChart>
            </ResponsiveContainer>
          </ChartCard>
          <ChartCard
            title="Holes per day"
            testId="chart-holes"
            table={{
              columns: ['day', 'opened', 'repaired', 'settled empty'],
              rows: h.holesByDay.map((d) => [bucketLabel(d.day, DAY), d.opened, d.repaired, d.settled]),
            }}
          >
            <ResponsiveContainer width="100%" height={180}>
              <BarChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
                {grid}
                {axis}
                <YAxis allowDecimals={false} tick={AXIS_TICK} width={44} />
                <Tooltip contentStyle={TOOLTIP_STYLE} />
                <Legend />
                <Bar dataKey="opened" name="opened" fill="var(--cov-open)" isAnimationActive={false} />
                <Bar dataKey="repaired" name="repaired" fill="var(--ok)" isAnimationActive={false} />
                <Bar dataKey="settled" name="settled empty" fill="var(--cov-empty)" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </ChartCard>
        </div>
      )}
    </section>
  );
}
