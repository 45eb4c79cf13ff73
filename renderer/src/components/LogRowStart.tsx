/** The first two cells of a log row (events, audit): when, and how it went as a badge. */
import { StatusBadge, type Tone } from './StatusBadge';
import { Time } from './Time';

export function LogRowStart({ ts, now, tone, label }: { ts: number; now: number; tone: Tone; label: string }) {
  return (
    <>
      <td className="small">
        <Time ts={ts} style="short" now={now} />
      </td>
      <td>
        <StatusBadge tone={tone} label={label} />
      </td>
    </>
  );
}
