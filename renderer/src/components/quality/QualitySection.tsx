/**
 * A series' full quality report on its page: completeness, holes by cause, rejected candles with the
 * rows the source sent, revisions with both versions, flagged candles, and agreement across
 * timeframes and sources. Kept fresh by the quality store while it is on screen.
 */
import { useEffect, useRef } from 'react';
import type { SeriesView } from '../../../../shared/contract';
import { useQualityReport, useQualityStore } from '../../state/quality-store';
import { qualityCondition } from '../../view/quality-trouble';
import { QualityBadge } from './QualityBadge';
import { CompletenessPanel } from './CompletenessPanel';
import { HolesByCause } from './HolesByCause';
import { RejectedPanel } from './RejectedPanel';
import { RevisionsPanel } from './RevisionsPanel';
import { AnomaliesPanel } from './AnomaliesPanel';
import { TimeframesPanel } from './TimeframesPanel';
import { SourcesPanel } from './SourcesPanel';

export function QualitySection({ series, focus }: { series: SeriesView; focus: boolean }) {
  const report = useQualityReport(series.id);
  const error = useQualityStore((s) => s.error);
  const section = useRef<HTMLElement>(null);
  const scrolled = useRef(false);

  // Opened from the Quality page: bring the report into view once it is there (once, not on refreshes).
  useEffect(() => {
    if (!focus || !report || scrolled.current) return;
    scrolled.current = true;
    section.current?.scrollIntoView({ block: 'start' });
  }, [focus, report]);

  return (
    <section
      className="section quality-section"
      id="quality"
      ref={section}
      aria-label="Data quality"
      data-testid="quality-section"
    >
      <div className="section-title">
        <h2>Data quality</h2>
        {report && <QualityBadge condition={qualityCondition(report)} testId="quality-section-condition" />}
      </div>
      {!report ? (
        error ? (
          <p className="notice" data-tone="bad" role="alert">
            The quality report could not be made: {error}
          </p>
        ) : (
          <p className="muted">Checking this series…</p>
        )
      ) : (
        <div className="quality-grid">
          <CompletenessPanel report={report} />
          <HolesByCause holes={report.holes} />
          <RejectedPanel report={report} />
          <RevisionsPanel report={report} />
          <AnomaliesPanel report={report} />
          <TimeframesPanel report={report} />
          <SourcesPanel report={report} />
        </div>
      )}
    </section>
  );
}
