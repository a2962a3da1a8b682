import type { ReactNode } from 'react';

/**
 * A wide table's own sideways scroll (a phone shows it without the page scrolling sideways). It
 * is focusable and named, so keyboard users can scroll it too.
 */
export function ScrollBox({ label, children }: { label: string; children: ReactNode }): ReactNode {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
