/** Time left until `until`, ticking every second while shown. */
import { useNow } from '../hooks/use-now';
import { formatDuration, formatTime, formatUtc } from '../format';

export function Countdown({ until }: { until: number }) {
  const now = useNow(1_000);
  const left = Math.max(0, until - now);
  const s = Math.ceil(left / 1000);
  const text = s < 3_600 ? `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}` : formatDuration(left);
  return (
    <span className="num" title={`${formatTime(until)} · ${formatUtc(until)}`}>
      {text}
    </span>
  );
}
