import type { ColDef } from 'ag-grid-community';
import { type ReactNode, useMemo } from 'react';
import { useNavigate } from 'react-router';
import { DataGrid } from '../../ui/data-grid';
import { formatTimestamp } from '../../ui/dates';
import { compareAmounts, formatAmount } from '../../ui/money';
import { type Product, shortPrice } from './catalog';

export function productPath(sku: string): string {
  return `/products/${encodeURIComponent(sku)}`;
}

export function ProductsGrid({ products, empty }: { products: Product[]; empty?: ReactNode }) {
  const navigate = useNavigate();
  const columns = useMemo<ColDef<Product>[]>(
    () => [
      { field: 'sku', headerName: 'SKU', minWidth: 120, maxWidth: 180, sort: 'asc' },
      { field: 'name', headerName: 'Name', minWidth: 220, flex: 2 },
      { field: 'family', headerName: 'Family', minWidth: 140 },
      { field: 'category', headerName: 'Category', minWidth: 140 },
      {
        field: 'list_price',
        headerName: 'List price',
        type: 'rightAligned',
        minWidth: 130,
        valueFormatter: (params) => formatAmount(shortPrice(params.value)),
        comparator: (a, b) => compareAmounts(a, b),
        filter: 'agNumberColumnFilter',
        // Filtering compares against what the user typed; a float is exact enough to pick rows, and
        // nothing is computed from it.
        filterValueGetter: (params) => (params.data?.list_price ? Number(params.data.list_price) : null),
      },
      { field: 'currency', headerName: 'Currency', minWidth: 100, maxWidth: 120 },
      {
        field: 'updated_at',
        headerName: 'Last changed',
        minWidth: 160,
        valueFormatter: (params) => formatTimestamp(params.value),
        filter: false,
      },
    ],
    [],
  );
  return (
    <DataGrid
      testId="products-grid"
      rows={products}
      columns={columns}
      rowId={(product) => product.sku}
      empty={empty}
      onRowClick={(product) => navigate(productPath(product.sku))}
    />
  );
}
