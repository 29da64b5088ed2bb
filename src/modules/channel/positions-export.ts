import { today } from '../../core/dates.ts';
import type { Db } from '../../db/db.ts';
import { accountNames } from '../accounts/index.ts';
import { type ExportColumn, headerWords, nameRows, withAccountNames, writeXlsx } from '../platform/export.ts';
import { exportQuery } from './channel-schemas.ts';
import { allInventoryDifferences } from './inventory-monitor.ts';
import { listPositions, positionsInGridOrder, requireVisibleAccount } from './positions.ts';

const positionColumns: ExportColumn[] = [
  { key: 'account_id', header: 'account_id' },
  { key: 'sku', header: 'sku' },
  { key: 'product_name', header: 'product_name' },
  { key: 'as_of', header: 'as_of', type: 'date' },
  { key: 'bought', header: 'bought', type: 'int' },
  { key: 'sold', header: 'sold', type: 'int' },
  { key: 'credited', header: 'credited', type: 'int' },
  { key: 'position', header: 'position', type: 'int' },
  { key: 'last_snapshot_date', header: 'last_snapshot_date', type: 'date' },
  { key: 'last_snapshot_qty', header: 'last_snapshot_qty', type: 'int' },
  { key: 'last_snapshot_difference', header: 'last_snapshot_difference', type: 'int' },
  { key: 'open_differences', header: 'open_differences', type: 'int' },
];

const differenceColumns: ExportColumn[] = [
  { key: 'account_id', header: 'account_id' },
  { key: 'sku', header: 'sku' },
  { key: 'product_name', header: 'product_name' },
  { key: 'snapshot_date', header: 'snapshot_date', type: 'date' },
  { key: 'reported_qty', header: 'reported_qty', type: 'int' },
  { key: 'computed_qty', header: 'computed_qty', type: 'int' },
  { key: 'difference', header: 'difference', type: 'int' },
  { key: 'status', header: 'status' },
  { key: 'resolution', header: 'resolution' },
  { key: 'first_detected_at', header: 'first_detected_at' },
  { key: 'last_checked_at', header: 'last_checked_at' },
  { key: 'resolved_at', header: 'resolved_at' },
];

const instant = (value: Date | null): string | null => (value ? value.toISOString() : null);

/**
 * The positions and the monitoring log as one workbook (sheets `positions` and `differences`), for one
 * account or every account the caller may see.
 */
export async function exportPositionsXlsx(
  db: Db,
  raw: {
    account_id?: string | undefined;
    as_of?: string | undefined;
    order?: string | undefined;
    filters?: string | Record<string, string> | undefined;
  } = {},
): Promise<{ fileName: string; content: Buffer }> {
  const q = exportQuery.parse(raw);
  const asOf = q.as_of ?? today();
  const { positions, differences, names } = await db.tx(async (tx) => {
    if (q.account_id) await requireVisibleAccount(tx, q.account_id);
    const all = await listPositions(tx, { account_id: q.account_id, as_of: asOf });
    // What the grid shows: its sort and column filters over every position.
    const positions = positionsInGridOrder(all, { order: q.order, filters: q.filters });
    const differences = await allInventoryDifferences(tx, { account_id: q.account_id });
    const ids = [...positions, ...differences].map((r) => r.account_id);
    return { positions, differences, names: await accountNames(tx, ids) };
  });
  const words = (v: string | null) => (v ? headerWords(v) : v);
  const content = await writeXlsx(
    [
      { name: 'positions', columns: withAccountNames(positionColumns), rows: nameRows(positions, names) },
      {
        name: 'differences',
        columns: withAccountNames(differenceColumns),
        rows: nameRows(differences, names).map((d) => ({
          ...d,
          status: words(d.status),
          resolution: words(d.resolution),
          first_detected_at: instant(d.first_detected_at),
          last_checked_at: instant(d.last_checked_at),
          resolved_at: instant(d.resolved_at),
        })),
      },
    ],
    {
      title: `Inventory positions${q.account_id ? ` of ${names.get(q.account_id) ?? q.account_id}` : ''}`,
      period: `As of ${asOf}`,
    },
  );
  const who = (q.account_id ?? 'all-accounts').replace(/[^A-Za-z0-9._-]/g, '_');
  return { fileName: `inventory-positions-${who}-${asOf}.xlsx`, content };
}
