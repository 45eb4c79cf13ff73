/** The frame of a log table (events, audit): a panel, a labelled grid, one header row. */
import type { ReactNode } from 'react';

export function LogTable({ label, columns, children }: { label: string; columns: string[]; children: ReactNode }) {
  return (
    <div className="panel table-wrap">
      <table className="grid events" aria-label={label}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
