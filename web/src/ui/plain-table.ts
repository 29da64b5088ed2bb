import { Table } from '@mantine/core';

/**
 * A long Table's rows and cells as plain `<tr>` and `<td>` with Mantine's classes and the data attributes its
 * Styles API sets (the look Table.Tr and Table.Td draw, striped and hovered as asked): a Mantine component per
 * cell costs its style resolution, and fifty rows of them took a third of a page's first drawing.
 */
export function plainRow(look: { striped?: boolean; hover?: boolean } = {}) {
  return {
    className: Table.classes.tr,
    'data-with-row-border': true,
    ...(look.striped ? { 'data-striped': 'odd' } : {}),
    ...(look.hover ? { 'data-hover': true } : {}),
  } as const;
}

/** A cell of a plain row (see plainRow). */
export const plainCell = Table.classes.td;
/** A cell of a plain row holding a figure, aligned right (app.css). */
export const plainFigureCell = `${Table.classes.td} figure`;
