import type { BusinessDate } from '../../core/dates.ts';
import type { Db } from '../../db/db.ts';
import { type GridColumn, gridClauses } from '../../db/grid-query.ts';
import {
  type ChannelDataQuery,
  channelDataQuery,
  type InventoryQuery,
  inventoryQuery,
  quantity,
} from './channel-schemas.ts';

/**
 * Browsing the channel data as loaded: one page, newest first, and the total that matches the filters.
 * Row-level security decides which accounts' rows a caller gets.
 */
export interface Page<T> {
  items: T[];
  total: number;
}

export interface SellInLine {
  account_id: string;
  invoice_id: string;
  line_no: number;
  invoice_date: BusinessDate;
  sku: string;
  product_name: string | null;
  qty: number;
  unit_price: string;
  currency: string;
  updated_at: Date;
}

export interface SellOutLine {
  account_id: string;
  sell_out_ref: string;
  sale_date: BusinessDate;
  sku: string;
  product_name: string | null;
  qty: number;
  unit_price: string | null;
  currency: string | null;
  end_customer_id: string | null;
  partner_invoice_no: string | null;
  serial_numbers: string[] | null;
  updated_at: Date;
}

export interface InventoryReport {
  account_id: string;
  sku: string;
  product_name: string | null;
  as_of_date: BusinessDate;
  kind: 'snapshot' | 'opening';
  on_hand_qty: number;
  updated_at: Date;
}

interface Listing {
  /** The list's name in an error: `sell-out list`. */
  name: string;
  table: string;
  dateColumn: string;
  columns: string;
  order: string;
  /** What a grid may sort (`order`) and filter (`filters`) by: `t` the line, `p` its product. */
  grid: Readonly<Record<string, GridColumn>>;
}

const product: GridColumn = { sort: 'p.name' };
/** When the line was loaded: sorts, and is not filtered as text. */
const loaded: GridColumn = { sort: 't.updated_at', filter: null };

/** The grid columns of each list (the API's `order` and `filters`). */
export const sellInGridColumns = {
  account_id: { sort: 't.account_id' },
  invoice_id: { sort: 't.invoice_id' },
  line_no: { sort: 't.line_no' },
  invoice_date: { sort: 't.invoice_date' },
  sku: { sort: 't.sku' },
  product_name: product,
  qty: { sort: 't.qty', filter: null },
  unit_price: { sort: 't.unit_price', filter: null },
  currency: { sort: 't.currency' },
  updated_at: loaded,
} as const satisfies Record<string, GridColumn>;

export const sellOutGridColumns = {
  account_id: { sort: 't.account_id' },
  sell_out_ref: { sort: 't.sell_out_ref' },
  sale_date: { sort: 't.sale_date' },
  sku: { sort: 't.sku' },
  product_name: product,
  qty: { sort: 't.qty', filter: null },
  unit_price: { sort: 't.unit_price', filter: null },
  currency: { sort: 't.currency' },
  end_customer_id: { sort: 't.end_customer_id' },
  partner_invoice_no: { sort: 't.partner_invoice_no' },
  serial_numbers: { sort: "array_to_string(t.serial_numbers, '; ')" },
  updated_at: loaded,
} as const satisfies Record<string, GridColumn>;

export const inventoryGridColumns = {
  account_id: { sort: 't.account_id' },
  sku: { sort: 't.sku' },
  product_name: product,
  as_of_date: { sort: 't.as_of_date' },
  kind: { sort: 't.kind' },
  on_hand_qty: { sort: 't.on_hand_qty', filter: null },
  updated_at: loaded,
} as const satisfies Record<string, GridColumn>;

async function page<T>(
  db: Db,
  listing: Listing,
  q: ChannelDataQuery,
  extra = '',
  extraValues: unknown[] = [],
) {
  const parsed = channelDataQuery.parse(q);
  const params: unknown[] = [
    parsed.account_id ?? null,
    parsed.sku ?? null,
    parsed.from ?? null,
    parsed.to ?? null,
    ...extraValues,
  ];
  // A grid's sort and column filters, over every line the other filters match (the list's order breaks ties).
  const grid = gridClauses(listing.name, parsed, listing.grid, listing.order, (value) => {
    params.push(value);
    return `$${params.length}`;
  });
  const where = `($1::text is null or t.account_id = $1) and ($2::text is null or t.sku = $2)
    and ($3::date is null or t.${listing.dateColumn} >= $3) and ($4::date is null or t.${listing.dateColumn} <= $4)
    ${extra} ${grid.where.map((w) => `and ${w}`).join(' ')}`;
  // The product's name is joined for the count only when a filter reads it.
  const countFrom = grid.where.some((w) => w.includes('p.name'))
    ? `${listing.table} t left join products p on p.sku = t.sku`
    : `${listing.table} t`;
  return db.tx(async (tx): Promise<Page<T>> => {
    const { rows } = await tx.query(
      `select ${listing.columns}, p.name as product_name
       from ${listing.table} t left join products p on p.sku = t.sku
       where ${where}
       order by ${grid.order ?? listing.order}
       limit $${params.length + 1} offset $${params.length + 2}`,
      [...params, parsed.limit, parsed.offset],
    );
    const count = await tx.query<{ n: string }>(
      `select count(*) as n from ${countFrom} where ${where}`,
      params,
    );
    return { items: rows as T[], total: quantity(count.rows[0]!.n) };
  });
}

export function listSellIn(db: Db, q: ChannelDataQuery = {}): Promise<Page<SellInLine>> {
  return page<SellInLine>(
    db,
    {
      name: 'sell-in list',
      grid: sellInGridColumns,
      table: 'sell_in',
      dateColumn: 'invoice_date',
      columns:
        't.account_id, t.invoice_id, t.line_no, t.invoice_date, t.sku, t.qty, t.unit_price, t.currency, t.updated_at',
      order: 't.invoice_date desc, t.invoice_id, t.line_no',
    },
    q,
  );
}

export function listSellOut(db: Db, q: ChannelDataQuery = {}): Promise<Page<SellOutLine>> {
  return page<SellOutLine>(
    db,
    {
      name: 'sell-out list',
      grid: sellOutGridColumns,
      table: 'sell_out',
      dateColumn: 'sale_date',
      columns: `t.account_id, t.sell_out_ref, t.sale_date, t.sku, t.qty, t.unit_price, t.currency,
      t.end_customer_id, t.partner_invoice_no, t.serial_numbers, t.updated_at`,
      order: 't.sale_date desc, t.account_id, t.sell_out_ref',
    },
    q,
  );
}

export function listInventoryReports(db: Db, raw: InventoryQuery = {}): Promise<Page<InventoryReport>> {
  const { kind, ...q } = inventoryQuery.parse(raw);
  return page<InventoryReport>(
    db,
    {
      name: 'inventory list',
      grid: inventoryGridColumns,
      table: 'inventory_reports',
      dateColumn: 'as_of_date',
      columns: 't.account_id, t.sku, t.as_of_date, t.kind, t.on_hand_qty, t.updated_at',
      order: 't.as_of_date desc, t.account_id, t.sku, t.kind',
    },
    q,
    'and ($5::text is null or t.kind = $5)',
    [kind ?? null],
  );
}
