/** p95 latency of a source's last 60 minutes, as a line with no axes: the trend, not the numbers. */
import { Line, LineChart, ResponsiveContainer, Tooltip, YAxis } from 'recharts';
import type { SourceHeartbeat } from '../../../../shared/history';
import { formatMs } from '../../format';
import { bucketLabel } from '../../view/history-view';

export function LatencySparkline({ heartbeat }: { heartbeat: SourceHeartbeat }) {
  const data = heartbeat.buckets.map((b) => ({ at: b.at, p95: b.p95Ms }));
  const worst = Math.max(0, ...data.map((d) => d.p95 ?? 0));
  return (
    <div
      className="sparkline"
      data-testid="latency-sparkline"
      role="img"
      aria-label={worst ? `p95 latency, last hour: at most ${formatMs(worst)}` : 'p95 latency, last hour: no answers'}
    >
      <span className="small muted">p95 latency, 1 h</span>
      <ResponsiveContainer width="100%" height={32}>
        <LineChart data={data} margin={{ top: 2, right: 0, bottom: 2, left: 0 }}>
          <YAxis hide domain={[0, 'dataMax']} />
          <Tooltip
            formatter={(v) => [formatMs(typeof v === 'number' ? v : null), 'p95']}
            labelFormatter={(_, payload) =>
              payload?.[0] ? bucketLabel(Number((payload[0].payload as { at: number }).at), 60_000) : ''
            }
            contentStyle={{
              background: 'var(--panel)',
              border: '1px solid var(--border)',
              color: 'var(--fg)',
              fontSize: 12,
            }}
          />
          <Line
            type="monotone"
            dataKey="p95"
            stroke="var(--focus)"
            strokeWidth={1.5}
            dot={{ r: 1.5, fill: 'var(--focus)' }}
            isAnimationActive={false}
            connectNulls
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
