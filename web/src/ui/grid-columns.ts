import type { ColDef } from 'ag-grid-community';
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
