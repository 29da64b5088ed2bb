import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ColDef } from 'ag-grid-community';
import { fittedColumns } from '../web/src/ui/grid-fit.ts';

/**
 * A grid opens fitted to its width: the columns are taken in their order while their widths fit, those declared
 * always shown first, and the rest start hidden (under Columns), decided before the grid is made.
 */
type Row = Record<string, unknown>;
const hidden = (columns: ColDef<Row>[]) => columns.filter((c) => c.initialHide).map((c) => c.field);

test('the columns that do not fit the width start hidden, in their order', () => {
  const columns: ColDef<Row>[] = [
    { field: 'claim', minWidth: 120 },
    { field: 'partner', minWidth: 200 },
    { field: 'status', width: 150 },
    { field: 'amount' }, // no minimum: the grid's default of 110
    { field: 'notes', minWidth: 300 },
  ];
  assert.deepEqual(hidden(fittedColumns(columns, 600)), ['notes']);
  assert.deepEqual(hidden(fittedColumns(columns, 470)), ['amount', 'notes']);
  // A later column that still fits is shown, as in the grid's own fit.
  assert.deepEqual(hidden(fittedColumns(columns, 300)), ['partner', 'amount', 'notes']);
  // Wide enough, or a width not known yet (a hidden tab): nothing is hidden, and the definitions are the same.
  assert.equal(fittedColumns(columns, 2000), columns);
  assert.equal(fittedColumns(columns, 0), columns);
});

test('a column declared shown takes its room first; one declared hidden stays hidden and takes none', () => {
  const columns: ColDef<Row>[] = [
    { field: 'claim', minWidth: 100 },
    { field: 'memo', minWidth: 400, hide: true },
    { field: 'partner', minWidth: 200 },
    { field: 'total', minWidth: 150, hide: false },
  ];
  const fitted = fittedColumns(columns, 300);
  assert.deepEqual(hidden(fitted), ['partner']);
  assert.equal(fitted.find((c) => c.field === 'memo')?.hide, true);
  assert.equal(fitted.find((c) => c.field === 'total')?.initialHide, undefined);
});

test('a pinned column takes its width, or 200 within its bounds, as AG Grid gives it', () => {
  const pinned: ColDef<Row> = { field: 'claim', minWidth: 120, pinned: 'left' };
  const rest: ColDef<Row>[] = [
    { field: 'a', minWidth: 100 },
    { field: 'b', minWidth: 100 },
  ];
  assert.deepEqual(hidden(fittedColumns([pinned, ...rest], 350)), ['b']);
  assert.deepEqual(hidden(fittedColumns([{ ...pinned, maxWidth: 140 }, ...rest], 350)), []);
  assert.deepEqual(hidden(fittedColumns([{ ...pinned, width: 260 }, ...rest], 350)), ['a', 'b']);
});
