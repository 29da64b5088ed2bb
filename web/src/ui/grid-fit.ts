import type { ColDef } from 'ag-grid-community';

// Imports nothing but types, so that the rule is tested on its own (test/grid-fit.test.ts).

/**
 * The columns that do not fit a grid's width: taken in their order while their widths fit, after the columns
 * declared always shown (`hide: false`), which take their room first. Each column's need is its fixed width,
 * or the minimum it may shrink to.
 */
export function overflowing<C>(
  shown: readonly C[],
  need: (c: C) => number,
  kept: (c: C) => boolean,
  width: number,
) {
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
 * `fitColumns` (ui/grid-columns.ts) on the definitions, before the grid is made: the columns that do not fit
 * start hidden (`initialHide`, so that a later change of the definitions leaves what the user chose under
 * Columns). Hiding them once the grid was drawn drew its header and rows twice.
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
