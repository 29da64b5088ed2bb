import type { ColDef, Column, GridApi } from 'ag-grid-community';
import { fontFamily } from './fonts';
import { overflowing } from './grid-fit';
import { compareAmounts, formatAmount } from './money';

/** A right-aligned column of decimal amount strings: shown with separators, sorted by value (not as text). */
export function amountColumn<T>(field: string, headerName: string, minWidth = 120): ColDef<T> {
  return {
    field: field as ColDef<T>['field'],
    headerName,
    type: 'rightAligned',
    minWidth,
    valueFormatter: (params) => formatAmount(params.value),
    comparator: (a, b) => compareAmounts(a, b),
    // Exports write the decimal itself as a number cell, and total it.
    context: { export: 'amount' },
  };
}

let canvas: HTMLCanvasElement | undefined;

/**
 * The width a column of badges needs for its longest label, so that no status is ever cut: the text as the
 * badge draws it (bold, 11 px) plus the badge's and the cell's padding.
 */
export function badgeWidth(labels: readonly string[], extra = 0): number {
  canvas ??= document.createElement('canvas');
  const context = canvas.getContext('2d');
  let widest = 0;
  for (const label of labels) {
    if (context) {
      context.font = `700 11px ${fontFamily}`;
      widest = Math.max(widest, context.measureText(label).width);
    } else widest = Math.max(widest, label.length * 7);
  }
  return Math.ceil(widest + 22 + 26 + extra);
}

/**
 * Fits a grid to its width: the columns are taken in their order while their minimum widths fit, and the
 * rest are hidden (they stay under Columns), so a grid never opens scrolling sideways on a laptop. A column
 * declared `hide: true` starts hidden anyway; one declared `hide: false` is always shown.
 */
export function fitColumns<T>(grid: GridApi<T>, width: number): void {
  if (width <= 0) return;
  const shown = grid.getAllGridColumns().filter((column) => column.isVisible());
  // Pinned columns keep their width; the others may shrink to their minimum.
  const need = (column: Column<T>) => {
    const def = column.getColDef();
    return column.isPinned() ? column.getActualWidth() : (def.width ?? def.minWidth ?? 110);
  };
  const hide = overflowing(shown, need, (column) => column.getColDef().hide === false, width);
  if (hide.length > 0) grid.setColumnsVisible(hide, false);
}
