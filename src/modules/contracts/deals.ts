import type { Decimal } from 'decimal.js';
import { today } from '../../core/dates.ts';
import { notFound } from '../../core/errors.ts';
import { Money } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import { requireRole } from '../identity/index.ts';
import { type ClaimAgainst, dealConsumption } from './consumption.ts';
import { contractReaders } from './contract-roles.ts';
import type { ProgramType } from './program-schemas.ts';

/**
 * Special-bid deals from the deal desk. Deals are loaded through the import engine (deals.csv); here they
 * are read, with what claims have used of them. A deal belongs to its partner's account, so row security
 * shows a partner only its own.
 */
export interface DealListQuery {
  program_id?: string | undefined;
  account_id?: string | undefined;
  sku?: string | undefined;
  /** Deals valid on this date (start_date ≤ date ≤ end_date). */
  active_on?: string | undefined;
}

export type Validity = 'upcoming' | 'current' | 'expired';

export interface DealItem {
  deal_id: string;
  account_id: string;
  account_name: string | null;
  program_id: string;
  program_name: string | null;
  end_customer_id: string | null;
  end_customer_name: string | null;
  sku: string;
  product_name: string | null;
  authorized_unit_amount: string;
  currency: string;
  max_qty: number;
  used_qty: number;
  left_qty: number;
  start_date: string;
  end_date: string;
  /** Against today's date. */
  validity: Validity;
}

export interface DealDetail extends DealItem {
  program: { program_id: string; name: string; type: ProgramType; active_version: number | null } | null;
  /** authorized_unit_amount × max_qty */
  authorized_amount: string;
  /** authorized_unit_amount × left_qty */
  left_amount: string;
  claims: ClaimAgainst[];
  created_at: Date;
  updated_at: Date;
}

type DealRow = Omit<DealItem, 'used_qty' | 'left_qty' | 'validity'> & {
  program_type: ProgramType | null;
  program_active_version: number | null;
  created_at: Date;
  updated_at: Date;
};

/** "12.5000" → "12.50": at least two decimals, no trailing zeros beyond them. */
export function plainAmount(value: Decimal.Value): string {
  const d = new Money(value);
  return d.toFixed(Math.max(2, d.decimalPlaces()));
}

function validityOn(row: { start_date: string; end_date: string }, date: string): Validity {
  return date < row.start_date ? 'upcoming' : date > row.end_date ? 'expired' : 'current';
}

const select = `select d.deal_id, d.account_id, a.name as account_name, d.program_id, p.name as program_name,
    p.type as program_type, p.active_version as program_active_version,
    d.end_customer_id, deal_end_customer_name(d.deal_id) as end_customer_name, d.sku, pr.name as product_name,
    d.authorized_unit_amount, d.currency, d.max_qty, d.start_date, d.end_date, d.created_at, d.updated_at
  from deals d
  left join accounts a on a.account_id = d.account_id
  left join programs p on p.program_id = d.program_id
  left join products pr on pr.sku = d.sku`;

async function withConsumption(
  db: Db,
  rows: DealRow[],
): Promise<(DealItem & { row: DealRow; claims: ClaimAgainst[] })[]> {
  const used = await dealConsumption(
    db,
    rows.map((r) => r.deal_id),
  );
  const now = today();
  return rows.map((r) => {
    const c = used.get(r.deal_id) ?? { used_qty: 0, claims: [] };
    return {
      deal_id: r.deal_id,
      account_id: r.account_id,
      account_name: r.account_name,
      program_id: r.program_id,
      program_name: r.program_name,
      end_customer_id: r.end_customer_id,
      end_customer_name: r.end_customer_name,
      sku: r.sku,
      product_name: r.product_name,
      authorized_unit_amount: plainAmount(r.authorized_unit_amount),
      currency: r.currency,
      max_qty: r.max_qty,
      used_qty: c.used_qty,
      left_qty: Math.max(0, r.max_qty - c.used_qty),
      start_date: r.start_date,
      end_date: r.end_date,
      validity: validityOn(r, now),
      row: r,
      claims: c.claims,
    };
  });
}

export async function listDeals(db: Db, q: DealListQuery = {}): Promise<DealItem[]> {
  requireRole(db.actor, contractReaders);
  return db.tx(async (tx) => {
    const { rows } = await tx.query<DealRow>(
      `${select}
       where ($1::text is null or d.program_id = $1)
         and ($2::text is null or d.account_id = $2)
         and ($3::text is null or d.sku = $3)
         and ($4::date is null or (d.start_date <= $4 and d.end_date >= $4))
       order by d.deal_id`,
      [q.program_id ?? null, q.account_id ?? null, q.sku ?? null, q.active_on ?? null],
    );
    return (await withConsumption(tx, rows)).map(({ row: _r, claims: _c, ...item }) => item);
  });
}

export async function getDeal(db: Db, dealId: string): Promise<DealDetail> {
  requireRole(db.actor, contractReaders);
  return db.tx(async (tx) => {
    const { rows } = await tx.query<DealRow>(`${select} where d.deal_id = $1`, [dealId]);
    if (!rows[0]) throw notFound(`The deal ${dealId}`);
    const [{ row, claims, ...item }] = (await withConsumption(tx, rows)) as [
      DealItem & { row: DealRow; claims: ClaimAgainst[] },
    ];
    const unit = new Money(row.authorized_unit_amount);
    return {
      ...item,
      program:
        row.program_name === null || row.program_type === null
          ? null
          : {
              program_id: row.program_id,
              name: row.program_name,
              type: row.program_type,
              active_version: row.program_active_version,
            },
      authorized_amount: plainAmount(unit.times(row.max_qty)),
      left_amount: plainAmount(unit.times(item.left_qty)),
      claims,
      created_at: row.created_at,
      updated_at: row.updated_at,
    };
  });
}
