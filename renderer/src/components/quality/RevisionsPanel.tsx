/**
 * Candles the source changed after they closed, both versions side by side. The report counts them;
 * the versions are in the 'revision' events, fetched again whenever the count moves.
 */
import { useEffect, useState } from 'react';
import type { QualityReport } from '../../../../shared/quality';
import type { EngineEvent } from '../../../../shared/domain';
import { bridge } from '../../bridge';
import { hrefOf } from '../../routing/route';
import { chartAround } from '../../view/quality-links';
import { CANDLE_FIELDS, revisionsOf, type CandleValues, type Revision } from '../../view/revision-view';
import { formatCount, formatPrice, formatVolume } from '../../format';
import { Time } from '../Time';
import { QualityPanel } from './QualityPanel';

/** Revision events read per refresh (a summary event carries many candles). */
const EVENTS = 50;
const FIELD_LABEL: Record<keyof CandleValues, string> = {
  open: 'Open',
  high: 'High',
  low: 'Low',
  close: 'Close',
  volume: 'Volume',
};

function Values({ label, values, other }: { label: string; values: CandleValues; other: CandleValues }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      {CANDLE_FIELDS.map((f) => {
        const v = values[f];
        const text = v === null ? '—' : f === 'volume' ? formatVolume(v) : formatPrice(v);
        return (
          <td key={f} className="num" data-changed={v !== other[f] || undefined}>
            {text}
          </td>
        );
      })}
    </tr>
  );
}

function RevisionRow({ report, revision: r }: { report: QualityReport; revision: Revision }) {
  return (
    <li data-testid="revision">
      <div className="small">
        Candle at{' '}
        <a href={hrefOf(chartAround(report.seriesId, report.timeframe, r.ts))} title="Open the chart at this candle">
          <Time ts={r.ts} style="short" />
        </a>
        <span className="muted">
          {' '}
          · changed by {report.source}, seen <Time ts={r.at} style="short" />
        </span>
      </div>
      <table className="grid compact revision-values" aria-label="Both versions">
        <thead>
          <tr>
            <th>
              <span className="sr-only">Version</span>
            </th>
            {CANDLE_FIELDS.map((f) => (
              <th key={f} className="num">
                {FIELD_LABEL[f]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <Values label="Before" values={r.before} other={r.after} />
          <Values label="After (stored)" values={r.after} other={r.before} />
        </tbody>
      </table>
    </li>
  );
}

export function RevisionsPanel({ report }: { report: QualityReport }) {
  const { seriesId } = report;
  const { count, lastAt } = report.revisions;
  const [events, setEvents] = useState<EngineEvent[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  // The report's count and last time stand for the revision events: a new one moves them.
  useEffect(() => {
    if (count === 0) {
      setEvents([]);
      return;
    }
    let current = true;
    bridge.invoke('events:list', { seriesId, kinds: ['revision'], limit: EVENTS }).then(
      (e) => current && (setEvents(e), setError(null)),
      (err: Error) => current && setError(err.message),
    );
    return () => {
      current = false;
    };
  }, [seriesId, count, lastAt]);

  const revisions = events ? revisionsOf(events) : [];
  return (
    <QualityPanel title="Revisions" wide figure={count ? formatCount(count) : undefined} testId="quality-revisions">
      {count === 0 ? (
        <p className="muted">
          None: no closed candle has changed since it was stored. Recently closed candles are read once more after a
          settle delay; a source that corrects one shows up here with both versions.
        </p>
      ) : error ? (
        <p className="error-text">The revised candles could not be loaded: {error}</p>
      ) : events === null ? (
        <p className="muted">Loading both versions…</p>
      ) : (
        <>
          <ul className="revision-list">
            {revisions.map((r) => (
              <RevisionRow key={`${r.eventId}/${r.ts}`} report={report} revision={r} />
            ))}
          </ul>
          {revisions.length < count && (
            <p className="small muted">
              {revisions.length
                ? `The newest ${formatCount(revisions.length)} of ${formatCount(count)} shown`
                : 'These revisions were recorded without their values'}
              ; the event log has every one.
            </p>
          )}
        </>
      )}
    </QualityPanel>
  );
}
