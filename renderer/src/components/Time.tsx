/** A time in the user's zone; hovering shows it in UTC. */
import { formatAgo, formatTime, formatTimeShort, formatUtc } from '../format';

interface TimeProps {
  ts: number;
  /** 'ago' shows "3 min ago" (needs `now`), 'short' a compact date. */
  style?: 'full' | 'short' | 'ago';
  now?: number;
}

export function Time({ ts, style = 'full', now = Date.now() }: TimeProps) {
  const text = style === 'ago' ? formatAgo(ts, now) : style === 'short' ? formatTimeShort(ts, now) : formatTime(ts);
  const title = style === 'ago' ? `${formatTime(ts)} · ${formatUtc(ts)}` : formatUtc(ts);
  return (
    <time dateTime={new Date(ts).toISOString()} title={title} className="nowrap">
      {text}
    </time>
  );
}
