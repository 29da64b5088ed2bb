import type { ColDef, Column, GridApi } from 'ag-grid-community';
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
  const font = getComputedStyle(document.body).fontFamily || 'sans-serif';
  let widest = 0;
  for (const label of labels) {
    if (context) {
      context.font = `700 11px ${font}`;
      widest = Math.max(widest, context.measureText(label).width);
    } else widest = Math.max(widest, label.length * 7);
  }
  return Math.ceil(widest + 22 + 26 + extra);
}

/**
 * The columns that do not fit a grid's width: taken in their order while their widths fit, after the columns
 * declared always shown (`hide: false`), which take their room first. Each column's need is its fixed width,
 * or the minimum it may shrink to.
 */
function overflowing<C>(shown: readonly C[], need: (c: C) => number, kept: (c: C) => boolean, width: number) {
  let used = shown.filter(kept).reduce((sum, column) => sum + need(column), 0);
  const hide: C[] = [];
  for (const column of shown) {
    if (kept(column)) continue;
    if (used + need(column) > width && used > 0) hide.push(column);
    else used += need(column);
  }
  return hide;
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

/**
 * `fitColumns` on the definitions, before the grid is made: the columns that do not fit start hidden
 * (`initialHide`, so that a later change of the definitions leaves what the user chose under Columns). Hiding
 * them once the grid was drawn drew its header and rows twice.
 */
export function fittedColumns<T>(columns: ColDef<T>[], width: number): ColDef<T>[] {
  if (width <= 0) return columns;
  const shown = columns.filter((def) => !def.hide && !def.initialHide);
  // A pinned column does not flex: it takes its width, or AG Grid's default of 200 within its bounds.
  const need = (def: ColDef<T>) =>
    def.pinned
      ? (def.width ?? Math.min(Math.max(200, def.minWidth ?? 0), def.maxWidth ?? Number.POSITIVE_INFINITY))
      : (def.width ?? def.minWidth ?? 110);
  const hide = new Set(overflowing(shown, need, (def) => def.hide === false, width));
  return hide.size === 0
    ? columns
    : columns.map((def) => (hide.has(def) ? { ...def, initialHide: true } : def));
}
