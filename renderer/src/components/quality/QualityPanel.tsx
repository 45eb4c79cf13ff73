/** One part of a series' quality report: a titled panel with its headline figure on the right. */
import type { ReactNode } from 'react';

interface QualityPanelProps {
  title: string;
  figure?: ReactNode;
  tone?: 'bad' | 'warn';
  /** Spans the whole row (long rows of raw text, tables of values). */
  wide?: boolean;
  children: ReactNode;
  testId?: string;
}

export function QualityPanel({ title, figure, tone, wide, children, testId }: QualityPanelProps) {
  return (
    <section
      className={wide ? 'panel quality-panel wide' : 'panel quality-panel'}
      aria-label={title}
      data-testid={testId}
    >
      <header>
        <h3>{title}</h3>
        {figure !== undefined && (
          <span className="num quality-figure" data-tone={tone}>
            {figure}
          </span>
        )}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}
