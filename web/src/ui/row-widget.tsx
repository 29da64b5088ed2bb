import { type ReactNode, useCallback, useRef } from 'react';

/**
 * A control inside a grid row (a checkbox, a button) whose clicks stay its own: the row's click handler (open
 * the record) never sees them. A native listener, because AG Grid's row listener runs before React's.
 */
export function RowWidget({
  onClick,
  children,
  testId,
}: {
  onClick: () => void;
  children: ReactNode;
  testId?: string;
}) {
  const latest = useRef(onClick);
  latest.current = onClick;
  const wrapper = useCallback((el: HTMLDivElement | null) => {
    if (!el) return;
    const listener = (event: MouseEvent) => {
      event.stopPropagation();
      event.preventDefault();
      latest.current();
    };
    el.addEventListener('click', listener);
    return () => el.removeEventListener('click', listener);
  }, []);
  return (
    <div ref={wrapper} data-testid={testId} style={{ display: 'flex', alignItems: 'center', height: '100%' }}>
      {children}
    </div>
  );
}
