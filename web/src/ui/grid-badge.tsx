import type { CSSProperties, ReactNode } from 'react';

/**
 * A status in a grid cell, looking like Mantine's light Badge but a plain span: a grid draws hundreds of them
 * as it scrolls, and a span costs a fraction of a Badge to render. Size `xs` is the Badge's xs, for long lists.
 */
export function GridBadge({
  color,
  children,
  title,
  testId,
  size,
}: {
  color: string;
  children: ReactNode;
  title?: string;
  testId?: string;
  size?: 'xs';
}) {
  const style = {
    '--grid-badge-bg': `var(--mantine-color-${color}-light)`,
    '--grid-badge-color': `var(--mantine-color-${color}-light-color)`,
  } as CSSProperties;
  return (
    <span className="grid-badge" data-size={size} style={style} title={title} data-testid={testId}>
      {children}
    </span>
  );
}
