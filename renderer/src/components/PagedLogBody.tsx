/** A paged log's body: its error, its rows or what to say when there are none, and "Load older". */
import type { ReactNode } from 'react';
import { EmptyState } from './EmptyState';

interface PagedLogBodyProps {
  error: string | null;
  /** Loaded, and nothing matches. */
  empty: boolean;
  emptyText: string;
  more: boolean;
  loading: boolean;
  onOlder: () => void;
  children: ReactNode;
}

export function PagedLogBody({ error, empty, emptyText, more, loading, onOlder, children }: PagedLogBodyProps) {
  return (
    <>
      {error && (
        <p className="notice" data-tone="bad" role="alert">
          {error}
        </p>
      )}
      {empty ? (
        <EmptyState title="Nothing recorded">
          <p className="muted">{emptyText}</p>
        </EmptyState>
      ) : (
        children
      )}
      {more && !empty && (
        <div className="button-row" style={{ marginTop: 10 }}>
          <button onClick={onOlder} disabled={loading}>
            {loading ? 'Loading…' : 'Load older'}
          </button>
        </div>
      )}
    </>
  );
}
