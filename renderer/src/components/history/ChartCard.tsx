/**
 * A history chart with its numbers as a table: the table is always there for screen readers (the
 * chart is hidden from them), and a toggle shows it instead of the chart for anyone.
 */
import { useState, type ReactNode } from 'react';

export interface ChartTable {
  columns: string[];
  rows: Array<Array<string | number>>;
}

export function ChartCard({
  title,
  table,
  testId,
  children,
}: {
  title: string;
  table: ChartTable;
  testId: string;
  children: ReactNode;
}) {
  const [asTable, setAsTable] = useState(false);
  const tableEl = (
    <table className={asTable ? 'grid history-table' : 'sr-only'} data-testid={`${testId}-table`}>
      <caption className="sr-only">{title}</caption>
      <thead>
        <tr>
          {table.columns.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {table.rows.map((r, i) => (
          <tr key={i}>
            {r.map((cell, j) => (
              <td key={j} className={j ? 'num' : undefined}>
                {cell}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <section className="panel history-card" data-testid={testId}>
      <header>
        <h2>{title}</h2>
        <button type="button" className="link" aria-pressed={asTable} onClick={() => setAsTable((t) => !t)}>
          {asTable ? 'Chart' : 'Table'}
        </button>
      </header>
      {!asTable && (
        <div className="history-chart" aria-hidden="true">
          {children}
        </div>
      )}
      {tableEl}
    </section>
  );
}

/** Recharts' tooltip in the dashboard's colours (light and dark). */
export const TOOLTIP_STYLE = {
  background: 'var(--panel)',
  border: '1px solid var(--border)',
  color: 'var(--fg)',
  fontSize: 12,
} as const;
export const AXIS_TICK = { fill: 'var(--muted)', fontSize: 11 } as const;
