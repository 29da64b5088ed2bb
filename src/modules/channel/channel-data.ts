import type { BusinessDate } from '../../core/dates.ts';
import type { Db } from '../../db/db.ts';
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
  table: string;
  dateColumn: string;
  columns: string;
  order: string;
}

async function page<T>(
  db: Db,
  listing: Listing,
  q: ChannelDataQuery,
  extra = '',
  extraValues: unknown[] = [],
) {
  const parsed = channelDataQuery.parse(q);
  const where = `($1::text is null or t.account_id = $1) and ($2::text is null or t.sku = $2)
    and ($3::date is null or t.${listing.dateColumn} >= $3) and ($4::date is null or t.${listing.dateColumn} <= $4)
    ${extra}`;
  const params = [
    parsed.account_id ?? null,
    parsed.sku ?? null,
    parsed.from ?? null,
    parsed.to ?? null,
    ...extraValues,
  ];
  return db.tx(async (tx): Promise<Page<T>> => {
    const { rows } = await tx.query(
      `select ${listing.columns}, p.name as product_name
       from ${listing.table} t left join products p on p.sku = t.sku
       where ${where}
       order by ${listing.order}
       limit $${params.length + 1} offset $${params.length + 2}`,
      [...params, parsed.limit, parsed.offset],
    );
    const count = await tx.query<{ n: string }>(
      `select count(*) as n from ${listing.table} t where ${where}`,
      params,
    );
    return { items: rows as T[], total: quantity(count.rows[0]!.n) };
  });
}

export function listSellIn(db: Db, q: ChannelDataQuery = {}): Promise<Page<SellInLine>> {
  return page<SellInLine>(
    db,
    {
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
