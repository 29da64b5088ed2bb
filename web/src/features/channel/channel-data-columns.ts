import type { ColDef } from 'ag-grid-community';
import { formatDate, formatTimestamp } from '../../ui/dates';
import { amountColumn } from '../../ui/grid-columns';
import { formatQty, type InventoryReport, type SellInLine, type SellOutLine } from './channel';

// The server pages, sorts and filters these lists over every line (`order`, `filters`); the grid sends its
// columns' sort and filters there (channelGridColumns).

const date = <T>(field: string, headerName: string): ColDef<T> => ({
  field: field as ColDef<T>['field'],
  headerName,
  minWidth: 120,
  valueFormatter: (params) => formatDate(params.value),
});

const qty = <T>(field: string, headerName: string): ColDef<T> => ({
  field: field as ColDef<T>['field'],
  headerName,
  type: 'rightAligned',
  minWidth: 90,
  maxWidth: 130,
  valueFormatter: (params) => formatQty(params.value),
  filter: 'agNumberColumnFilter',
});

const loaded = <T>(): ColDef<T> => ({
  field: 'updated_at' as ColDef<T>['field'],
  headerName: 'Loaded',
  minWidth: 160,
  valueFormatter: (params) => formatTimestamp(params.value),
  filter: false,
});

/**
 * What /api/sell-in, /api/sell-out and /api/inventory sort (`sorts`) and filter (`filters`) by
 * (src/modules/channel/channel-data.ts, *GridColumns): quantities, prices and load times sort only.
 */
export const channelGridColumns = {
  'sell-in': {
    filters: ['account_id', 'invoice_id', 'line_no', 'invoice_date', 'sku', 'product_name', 'currency'],
    sorts: [
      'account_id',
      'invoice_id',
      'line_no',
      'invoice_date',
      'sku',
      'product_name',
      'currency',
      'qty',
      'unit_price',
      'updated_at',
    ],
  },
  'sell-out': {
    filters: [
      'account_id',
      'sell_out_ref',
      'sale_date',
      'sku',
      'product_name',
      'currency',
      'end_customer_id',
      'partner_invoice_no',
      'serial_numbers',
    ],
    sorts: [
      'account_id',
      'sell_out_ref',
      'sale_date',
      'sku',
      'product_name',
      'currency',
      'end_customer_id',
      'partner_invoice_no',
      'serial_numbers',
      'qty',
      'unit_price',
      'updated_at',
    ],
  },
  inventory: {
    filters: ['account_id', 'as_of_date', 'kind', 'sku', 'product_name'],
    sorts: ['account_id', 'as_of_date', 'kind', 'sku', 'product_name', 'on_hand_qty', 'updated_at'],
  },
} as const;

export const sellInColumns: ColDef<SellInLine>[] = [
  { field: 'account_id', headerName: 'Account', minWidth: 110 },
  { field: 'invoice_id', headerName: 'Invoice', minWidth: 120 },
  { field: 'line_no', headerName: 'Line', type: 'rightAligned', minWidth: 70, maxWidth: 90 },
  date('invoice_date', 'Invoice date'),
  { field: 'sku', headerName: 'SKU', minWidth: 110 },
  { field: 'product_name', headerName: 'Product', minWidth: 150, flex: 1.4 },
  qty('qty', 'Qty'),
  amountColumn('unit_price', 'Unit price'),
  { field: 'currency', headerName: 'Currency', minWidth: 90, maxWidth: 110 },
  loaded(),
];

export const sellOutColumns: ColDef<SellOutLine>[] = [
  { field: 'account_id', headerName: 'Account', minWidth: 110 },
  { field: 'sell_out_ref', headerName: 'Reference', minWidth: 120 },
  date('sale_date', 'Sale date'),
  { field: 'sku', headerName: 'SKU', minWidth: 110 },
  { field: 'product_name', headerName: 'Product', minWidth: 150, flex: 1.4 },
  qty('qty', 'Qty'),
  amountColumn('unit_price', 'Unit price'),
  { field: 'currency', headerName: 'Currency', minWidth: 90, maxWidth: 110 },
  { field: 'end_customer_id', headerName: 'End customer', minWidth: 130 },
  { field: 'partner_invoice_no', headerName: 'Partner invoice', minWidth: 130 },
  {
    field: 'serial_numbers',
    headerName: 'Serials',
    minWidth: 140,
    valueFormatter: (params) => (params.value ?? []).join('; '),
  },
  loaded(),
];

export const inventoryColumns: ColDef<InventoryReport>[] = [
  { field: 'account_id', headerName: 'Account', minWidth: 110 },
  date('as_of_date', 'As of'),
  {
    field: 'kind',
    headerName: 'Kind',
    minWidth: 110,
    valueFormatter: (params) => (params.value === 'opening' ? 'Opening balance' : 'Snapshot'),
  },
  { field: 'sku', headerName: 'SKU', minWidth: 110 },
  { field: 'product_name', headerName: 'Product', minWidth: 150, flex: 1.4 },
  qty('on_hand_qty', 'On hand'),
  loaded(),
];
