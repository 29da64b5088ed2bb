import { type BusinessDate, today } from '../../core/dates.ts';
import { notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { type GridQueryInput, gridRows } from '../../db/grid-query.ts';
import { keptAnswer, scopeKey } from '../../db/kept-answers.ts';
import { findAccount } from '../accounts/index.ts';
import {
  type PositionsPageQuery,
  type PositionsQuery,
  positionsPageQuery,
  positionsQuery,
  quantity,
  quantityOrNull,
  seriesQuery,
} from './channel-schemas.ts';

/**
 * Inventory positions, computed set-based from the view `inventory_movements` (opening + sell-in −
 * sell-out − credited, each by its date). Row-level security applies through the view, so a partner user's
 * positions are its own organisation's only.
 */
export interface PositionSummary {
  account_id: string;
  sku: string;
  product_name: string | null;
  as_of: BusinessDate;
  /** Computed position at the end of `as_of`. */
  position: number;
  /** Opening balances plus sell-in, up to `as_of`. */
  bought: number;
  /** Sell-out up to `as_of`. */
  sold: number;
  /** Units credited by claims up to `as_of`. */
  credited: number;
  last_snapshot_date: BusinessDate | null;
  last_snapshot_qty: number | null;
  /** Reported on hand − computed position, on the last snapshot's date. */
  last_snapshot_difference: number | null;
  /** Differences in the monitoring log still open for this account and SKU. */
  open_differences: number;
}

interface SummaryRow {
  account_id: string;
  sku: string;
  product_name: string | null;
  position: string | null;
  bought: string | null;
  sold: string | null;
  credited: string | null;
  last_snapshot_date: string | null;
  last_snapshot_qty: number | null;
  position_at_snapshot: string | null;
  open_differences: string;
}

/** The JSON of the pages of kept answers, written once each: a partner's positions run to thousands. */
const positionJson = new WeakMap<PositionSummary[], Map<string, string>>();

type PositionColumn = { value: (p: PositionSummary) => string | number | null; filter?: boolean };
const count = (value: (p: PositionSummary) => number | null): PositionColumn => ({ value, filter: false });

/**
 * The columns a grid may sort (`order`) and filter (`filters`) the positions by. The positions are summed
 * whole and kept (`listPositions`), so they are sorted and filtered over that whole list in the server, never
 * over one page; the account and SKU (the list's own order) break ties.
 */
export const positionGridColumns: Readonly<Record<string, PositionColumn>> = {
  account_id: { value: (p) => p.account_id },
  sku: { value: (p) => p.sku },
  product_name: { value: (p) => p.product_name },
  bought: count((p) => p.bought),
  sold: count((p) => p.sold),
  credited: count((p) => p.credited),
  position: count((p) => p.position),
  last_snapshot_date: { value: (p) => p.last_snapshot_date },
  last_snapshot_qty: count((p) => p.last_snapshot_qty),
  last_snapshot_difference: count((p) => p.last_snapshot_difference),
  open_differences: count((p) => p.open_differences),
};

/** The positions in a grid's order, filtered by its columns (the whole list: for a page or an export). */
export function positionsInGridOrder(
  rows: readonly PositionSummary[],
  grid: GridQueryInput,
): readonly PositionSummary[] {
  return gridRows('positions list', rows, grid, positionGridColumns);
}

/**
 * A page of `listPositions` (in its order, account then SKU) as the API's JSON text,
 * `{"items": […], "total": N}`; `total` counts every position, not only the page's.
 */
export async function listPositionsJson(db: Db, raw: PositionsPageQuery = {}): Promise<string> {
  const { limit, offset, order, filters, ...q } = positionsPageQuery.parse(raw);
  const rows = await listPositions(db, q);
  const pages = positionJson.get(rows) ?? new Map<string, string>();
  positionJson.set(rows, pages);
  const key = JSON.stringify([limit, offset, order ?? null, filters ?? null]);
  let json = pages.get(key);
  if (json === undefined) {
    const shown = order || filters ? positionsInGridOrder(rows, { order, filters }) : rows;
    json = JSON.stringify({ items: shown.slice(offset, offset + limit), total: shown.length });
    if (pages.size >= 64) pages.clear();
    pages.set(key, json);
  }
  return json;
}

/**
 * One row per account and SKU with any movement or snapshot on or before the as-of date. Summed over every
 * movement of the accounts, so a server keeps the answer and gives it again while nothing it was read from has
 * changed (`keptAnswer`, migration 20261206840200).
 */
export async function listPositions(db: Db, raw: PositionsQuery = {}): Promise<PositionSummary[]> {
  const q = positionsQuery.parse(raw);
  const asOf = q.as_of ?? today();
  return keptAnswer(
    db,
    'position_changes',
    [scopeKey(db.actor), asOf, q.account_id ?? null, q.sku ?? null],
    async () => {
      const { rows, snapshot } = await computePositions(db, asOf, q);
      // Every account's positions at once may run to millions: too many to keep.
      return { value: rows, snapshot: rows.length > 100_000 ? null : snapshot };
    },
  );
}

async function computePositions(
  db: Db,
  asOf: BusinessDate,
  q: { account_id?: string | undefined; sku?: string | undefined },
): Promise<{ rows: PositionSummary[]; snapshot: string | null }> {
  const { rows } = await db.query<SummaryRow & { snapshot: string }>(
    // The movements are summed per account and SKU on their own; the position on the last snapshot's date
    // is summed apart, only for the SKUs with a snapshot (joining the snapshots to every movement made the
    // planner loop over them once per movement).
    `with last_snapshot as materialized (
       select distinct on (account_id, sku) account_id, sku, as_of_date, on_hand_qty
       from inventory_reports
       where kind = 'snapshot' and as_of_date <= $1
         and ($2::text is null or account_id = $2) and ($3::text is null or sku = $3)
       order by account_id, sku, as_of_date desc
     ),
     totals as (
       select m.account_id, m.sku,
              sum(m.qty) as position,
              sum(m.qty) filter (where m.source in ('opening', 'sell_in')) as bought,
              -sum(m.qty) filter (where m.source = 'sell_out') as sold,
              -sum(m.qty) filter (where m.source = 'credited') as credited
       from inventory_movements m
       where m.movement_date <= $1
         and ($2::text is null or m.account_id = $2) and ($3::text is null or m.sku = $3)
       group by m.account_id, m.sku
     ),
     at_snapshot as (
       select m.account_id, m.sku, sum(m.qty) as position_at_snapshot
       from last_snapshot s
       join inventory_movements m on m.account_id = s.account_id and m.sku = s.sku and m.movement_date <= s.as_of_date
       where ($2::text is null or m.account_id = $2) and ($3::text is null or m.sku = $3)
       group by m.account_id, m.sku
     ),
     pairs as (
       select account_id, sku from totals union select account_id, sku from last_snapshot
     ),
     -- the snapshot this statement reads, kept with the answer
     snap as (select pg_current_snapshot()::text as snapshot)
     select p.account_id, p.sku, pr.name as product_name, snap.snapshot,
            t.position, t.bought, t.sold, t.credited, x.position_at_snapshot,
            s.as_of_date as last_snapshot_date, s.on_hand_qty as last_snapshot_qty,
            (select count(*) from inventory_differences d
              where d.account_id = p.account_id and d.sku = p.sku and d.status = 'open') as open_differences
     from pairs p
     left join totals t on t.account_id = p.account_id and t.sku = p.sku
     left join last_snapshot s on s.account_id = p.account_id and s.sku = p.sku
     left join at_snapshot x on x.account_id = p.account_id and x.sku = p.sku
     left join products pr on pr.sku = p.sku
     cross join snap
     order by p.account_id, p.sku`,
    [asOf, q.account_id ?? null, q.sku ?? null],
  );
  // An empty answer has no snapshot to keep it by: it is not kept.
  const snapshot = rows[0]?.snapshot ?? null;
  const positions = rows.map((r) => ({
    account_id: r.account_id,
    sku: r.sku,
    product_name: r.product_name,
    as_of: asOf,
    position: quantity(r.position),
    bought: quantity(r.bought),
    sold: quantity(r.sold),
    credited: quantity(r.credited),
    last_snapshot_date: r.last_snapshot_date,
    last_snapshot_qty: quantityOrNull(r.last_snapshot_qty),
    last_snapshot_difference:
      r.last_snapshot_qty === null ? null : r.last_snapshot_qty - quantity(r.position_at_snapshot),
    open_differences: quantity(r.open_differences),
  }));
  return { rows: positions, snapshot };
}

/** One date on which something happened to a position. */
export interface PositionPoint {
  date: BusinessDate;
  opening: number;
  sell_in: number;
  sell_out: number;
  credited: number;
  /** Computed position at the end of the day. */
  position: number;
  /** What the partner reported on hand that day, when it reported. */
  snapshot_qty: number | null;
  /** snapshot − position, on snapshot days. */
  difference: number | null;
}

interface PointRow {
  date: string;
  opening: string | null;
  sell_in: string | null;
  sell_out: string | null;
  credited: string | null;
  position: string;
  snapshot_qty: number | null;
}

/** The account must be one the caller may see: another organisation's account does not exist for it. */
export async function requireVisibleAccount(db: Db, accountId: string): Promise<void> {
  if (!(await findAccount(db, accountId))) throw notFound(`The account ${accountId}`);
}

/**
 * The position of one account and SKU over time: every date with a movement or a snapshot. The running
 * position always starts from the first movement; `from`/`to` only narrow the dates returned.
 */
export async function getPositionSeries(
  db: Db,
  accountId: string,
  sku: string,
  raw: { from?: string | undefined; to?: string | undefined } = {},
): Promise<PositionPoint[]> {
  const q = seriesQuery.parse(raw);
  return db.tx(async (tx) => {
    await requireVisibleAccount(tx, accountId);
    const { rows } = await tx.query<PointRow>(
      `with days as (
         select movement_date as date,
                sum(qty) filter (where source = 'opening') as opening,
                sum(qty) filter (where source = 'sell_in') as sell_in,
                -sum(qty) filter (where source = 'sell_out') as sell_out,
                -sum(qty) filter (where source = 'credited') as credited,
                sum(qty) as net
         from inventory_movements where account_id = $1 and sku = $2
         group by movement_date
       ),
       snapshots as (
         select as_of_date as date, on_hand_qty from inventory_reports
         where account_id = $1 and sku = $2 and kind = 'snapshot'
       ),
       series as (
         select coalesce(d.date, s.date) as date, d.opening, d.sell_in, d.sell_out, d.credited,
                sum(coalesce(d.net, 0)) over (order by coalesce(d.date, s.date)) as position,
                s.on_hand_qty as snapshot_qty
         from days d full join snapshots s on s.date = d.date
       )
       select * from series
       where ($3::date is null or date >= $3) and ($4::date is null or date <= $4)
       order by date`,
      [accountId, sku, q.from ?? null, q.to ?? null],
    );
    return rows.map((r) => {
      const position = quantity(r.position);
      return {
        date: r.date,
        opening: quantity(r.opening),
        sell_in: quantity(r.sell_in),
        sell_out: quantity(r.sell_out),
        credited: quantity(r.credited),
        position,
        snapshot_qty: r.snapshot_qty,
        difference: r.snapshot_qty === null ? null : r.snapshot_qty - position,
      };
    });
  });
}
