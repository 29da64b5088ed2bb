/** Channel data and inventory positions as the server sends them. Quantities are whole numbers. */
import { formatCount } from '../../ui/money';

export interface PositionSummary {
  account_id: string;
  sku: string;
  product_name: string | null;
  as_of: string;
  position: number;
  bought: number;
  sold: number;
  credited: number;
  last_snapshot_date: string | null;
  last_snapshot_qty: number | null;
  last_snapshot_difference: number | null;
  open_differences: number;
}

export interface PositionPoint {
  date: string;
  opening: number;
  sell_in: number;
  sell_out: number;
  credited: number;
  position: number;
  snapshot_qty: number | null;
  difference: number | null;
}

export type DifferenceStatus = 'open' | 'resolved';

export interface InventoryDifference {
  difference_id: string;
  account_id: string;
  sku: string;
  product_name: string | null;
  snapshot_date: string;
  reported_qty: number;
  computed_qty: number;
  difference: number;
  status: DifferenceStatus;
  first_detected_at: string;
  last_checked_at: string;
  resolved_at: string | null;
  resolution: 'matched' | 'changed' | 'snapshot_removed' | null;
}

export const resolutionLabels: Record<NonNullable<InventoryDifference['resolution']>, string> = {
  matched: 'Now matches',
  changed: 'Figures changed',
  snapshot_removed: 'Snapshot removed',
};

export interface SellInLine {
  account_id: string;
  invoice_id: string;
  line_no: number;
  invoice_date: string;
  sku: string;
  product_name: string | null;
  qty: number;
  unit_price: string;
  currency: string;
  updated_at: string;
}

export interface SellOutLine {
  account_id: string;
  sell_out_ref: string;
  sale_date: string;
  sku: string;
  product_name: string | null;
  qty: number;
  unit_price: string | null;
  currency: string | null;
  end_customer_id: string | null;
  partner_invoice_no: string | null;
  serial_numbers: string[] | null;
  updated_at: string;
}

export interface InventoryReport {
  account_id: string;
  sku: string;
  product_name: string | null;
  as_of_date: string;
  kind: 'snapshot' | 'opening';
  on_hand_qty: number;
  updated_at: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/** Filters shared by the channel-data lists; empty strings mean "any". */
export interface ChannelFilters {
  account_id: string;
  sku: string;
  from: string;
  to: string;
}

export const noFilters: ChannelFilters = { account_id: '', sku: '', from: '', to: '' };

/** A query string from the filled-in values only. */
export function queryString(values: Record<string, string | number | null | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== null && value !== undefined && value !== '') query.set(key, String(value));
  }
  return query.size > 0 ? `?${query}` : '';
}

/** 1234 → "1,234"; signed when asked ("+2", "−10"), so a difference reads as one. */
export function formatQty(value: number | null | undefined, signed = false): string {
  if (value === null || value === undefined) return '';
  const text = formatCount(Math.abs(value));
  if (value < 0) return `−${text}`;
  return signed && value > 0 ? `+${text}` : text;
}

/** Where the XLSX export of positions and differences is downloaded from. */
export function exportUrl(
  accountId: string,
  asOf: string,
  grid: { order?: string | null; filters?: string | null } = {},
): string {
  // In the grid's order and filters when given (`order`, `filters`), as shown.
  return `/api/positions/export.xlsx${queryString({ account_id: accountId, as_of: asOf, order: grid.order, filters: grid.filters })}`;
}
