import type { BusinessDate } from '../../core/dates.ts';
import type { Db } from '../../db/db.ts';
import { type DifferencesQuery, differencesQuery, quantity } from './channel-schemas.ts';

/**
 * The account monitoring log for inventory balances. Every partner snapshot is compared with the position
 * computed for its date; a difference is logged once and stays open while later refreshes find the same
 * figures. When it disappears, or its figures change, the open row is resolved (and a changed difference
 * opens a new row), so the log keeps its history.
 */
export interface RefreshCounts {
  /** Snapshots compared. */
  snapshots: number;
  /** Snapshots that differ from the computed position now. */
  differences: number;
  /** Differences logged by this refresh (new, or changed since the last one). */
  detected: number;
  /** Open differences found again with the same figures. */
  unchanged: number;
  /** Open differences closed: matched, changed or snapshot removed. */
  resolved: number;
}

// Advisory-lock keys: a refresh of every account excludes all others; refreshes of some accounts share
// the global key and lock each of their accounts, so refreshes of different accounts run side by side.
const lockSpace = 0x4348_494d; // 'CHIM'
const accountLockSpace = 0x4348_4941; // 'CHIA'

/**
 * Each snapshot (in the accounts refreshed) with the computed position on its date: the running sum of the
 * movements, with the snapshot dates merged in so each snapshot finds its running total in one pass.
 * $1 is the accounts (null = every visible account).
 */
const snapshotComparison = `
  events as (
    select account_id, sku, movement_date as d, qty from inventory_movements
    where $1::text[] is null or account_id = any ($1)
    union all
    select account_id, sku, as_of_date, 0 from inventory_reports
    where kind = 'snapshot' and ($1::text[] is null or account_id = any ($1))
  ),
  running as (
    select account_id, sku, d,
           sum(sum(qty)) over (partition by account_id, sku order by d) as position
    from events group by account_id, sku, d
  ),
  current_state as (
    select s.account_id, s.sku, s.as_of_date as snapshot_date, s.on_hand_qty::bigint as reported_qty,
           r.position::bigint as computed_qty, s.on_hand_qty - r.position::bigint as difference
    from inventory_reports s
    join running r on r.account_id = s.account_id and r.sku = s.sku and r.d = s.as_of_date
    where s.kind = 'snapshot' and ($1::text[] is null or s.account_id = any ($1))
  )`;

/**
 * Recomputes the log for the given accounts (every account the caller may see when absent), set-based in
 * one transaction. The import engine calls it after loading sell-in, sell-out or inventory; a daily job
 * runs it for everyone. Safe under any scope: row security limits it to the caller's accounts.
 */
export async function refreshInventoryMonitor(
  db: Db,
  accountIds?: readonly string[],
): Promise<RefreshCounts> {
  const accounts = accountIds ? [...new Set(accountIds)].sort() : null;
  if (accounts && accounts.length === 0) {
    return { snapshots: 0, differences: 0, detected: 0, unchanged: 0, resolved: 0 };
  }
  return db.tx(async (tx) => {
    if (accounts) {
      await tx.query('select pg_advisory_xact_lock_shared($1, 0)', [lockSpace]);
      await tx.query(
        'select pg_advisory_xact_lock($1, hashtext(a)) from unnest($2::text[]) with ordinality as u(a, n) order by n',
        [accountLockSpace, accounts],
      );
    } else {
      await tx.query('select pg_advisory_xact_lock($1, 0)', [lockSpace]);
    }

    // Open rows: touched when the figures are the same, resolved otherwise (with why).
    const checked = await tx.query<{
      snapshots: string;
      differences: string;
      unchanged: string;
      resolved: string;
    }>(
      `with ${snapshotComparison},
       reviewed as (
         update inventory_differences d set
           last_checked_at = now(),
           status = case when x.same then 'open' else 'resolved' end,
           resolved_at = case when x.same then null else now() end,
           resolution = case
             when x.same then null
             when x.reported_qty is null then 'snapshot_removed'
             when x.difference = 0 then 'matched'
             else 'changed' end
         from (
           select o.account_id, o.difference_id, c.reported_qty, c.difference,
                  coalesce(c.reported_qty = o.reported_qty and c.computed_qty = o.computed_qty, false) as same
           from inventory_differences o
           left join current_state c
             on c.account_id = o.account_id and c.sku = o.sku and c.snapshot_date = o.snapshot_date
           where o.status = 'open' and ($1::text[] is null or o.account_id = any ($1))
         ) x
         where d.account_id = x.account_id and d.difference_id = x.difference_id
         returning d.status
       )
       select (select count(*) from current_state) as snapshots,
              (select count(*) from current_state where difference <> 0) as differences,
              (select count(*) from reviewed where status = 'open') as unchanged,
              (select count(*) from reviewed where status = 'resolved') as resolved`,
      [accounts],
    );
    // New and changed differences: every one without an open row now (the unchanged ones still have one).
    const inserted = await tx.query(
      `with ${snapshotComparison}
       insert into inventory_differences
         (account_id, sku, snapshot_date, reported_qty, computed_qty, difference, status)
       select account_id, sku, snapshot_date, reported_qty, computed_qty, difference, 'open'
       from current_state where difference <> 0
       on conflict (account_id, sku, snapshot_date) where status = 'open' do nothing`,
      [accounts],
    );
    const c = checked.rows[0]!;
    return {
      snapshots: quantity(c.snapshots),
      differences: quantity(c.differences),
      detected: inserted.rowCount ?? 0,
      unchanged: quantity(c.unchanged),
      resolved: quantity(c.resolved),
    };
  });
}

export interface InventoryDifference {
  difference_id: string;
  account_id: string;
  sku: string;
  product_name: string | null;
  snapshot_date: BusinessDate;
  reported_qty: number;
  computed_qty: number;
  difference: number;
  status: 'open' | 'resolved';
  first_detected_at: Date;
  last_checked_at: Date;
  resolved_at: Date | null;
  resolution: 'matched' | 'changed' | 'snapshot_removed' | null;
}

interface DifferenceRow extends Omit<InventoryDifference, 'reported_qty' | 'computed_qty' | 'difference'> {
  reported_qty: string;
  computed_qty: string;
  difference: string;
}

function toDifference(r: DifferenceRow): InventoryDifference {
  return {
    ...r,
    reported_qty: quantity(r.reported_qty),
    computed_qty: quantity(r.computed_qty),
    difference: quantity(r.difference),
  };
}

const differenceFilter = `($1::text is null or d.account_id = $1) and ($2::text is null or d.sku = $2)
  and ($3::text is null or d.status = $3)
  and ($4::date is null or d.snapshot_date >= $4) and ($5::date is null or d.snapshot_date <= $5)`;

const differenceColumns = `d.difference_id::text, d.account_id, d.sku, p.name as product_name, d.snapshot_date,
  d.reported_qty, d.computed_qty, d.difference, d.status, d.first_detected_at, d.last_checked_at,
  d.resolved_at, d.resolution`;

const differenceOrder = 'd.snapshot_date desc, d.account_id, d.sku, d.difference_id desc';

function filterValues(q: DifferencesQuery): unknown[] {
  return [q.account_id ?? null, q.sku ?? null, q.status ?? null, q.from ?? null, q.to ?? null];
}

/** The log, newest snapshot first, filtered by account, SKU, status and snapshot dates; one page and the total. */
export async function listInventoryDifferences(
  db: Db,
  raw: DifferencesQuery = {},
): Promise<{ items: InventoryDifference[]; total: number }> {
  const q = differencesQuery.parse(raw);
  const params = filterValues(q);
  return db.tx(async (tx) => {
    const { rows } = await tx.query<DifferenceRow>(
      `select ${differenceColumns}
       from inventory_differences d left join products p on p.sku = d.sku
       where ${differenceFilter}
       order by ${differenceOrder}
       limit $6 offset $7`,
      [...params, q.limit, q.offset],
    );
    const count = await tx.query<{ n: string }>(
      `select count(*) as n from inventory_differences d where ${differenceFilter}`,
      params,
    );
    return { items: rows.map(toDifference), total: quantity(count.rows[0]!.n) };
  });
}

/** Every log entry matching the filters, unpaged (exports; the log for one pair). */
export async function allInventoryDifferences(
  db: Db,
  raw: Omit<DifferencesQuery, 'limit' | 'offset'> = {},
): Promise<InventoryDifference[]> {
  const q = differencesQuery.parse(raw);
  const { rows } = await db.query<DifferenceRow>(
    `select ${differenceColumns}
     from inventory_differences d left join products p on p.sku = d.sku
     where ${differenceFilter}
     order by ${differenceOrder}`,
    filterValues(q),
  );
  return rows.map(toDifference);
}
