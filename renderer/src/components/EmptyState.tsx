/** What to do first when a page has nothing to show yet. */
import type { ReactNode } from 'react';

export function EmptyState({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="empty" data-testid={testId}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}
