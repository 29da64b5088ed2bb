import { Money } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';

/**
 * What claims have consumed of programs and deals: the only place the contract reads claims (a query over
 * approved, adjusted and review claim lines, RULES.md "Processing order and consumption"), so every screen
 * that shows "used" and "left" follows the validation ledger.
 */
export interface ClaimAgainst {
  claim_id: string;
  account_id: string;
  status: string;
  submitted_date: string;
  /** Approved amount of the claim's lines against this program or deal. */
  amount: string;
  qty: number | null;
}

export interface ProgramConsumption {
  /** Amount of the budget used, in the program's currency. */
  used: string;
  claims: ClaimAgainst[];
}

export interface DealConsumption {
  used_qty: number;
  claims: ClaimAgainst[];
}

/**
 * Consuming lines (RULES.md): approved, adjusted and in-review lines of claims that are neither drafts nor
 * rejected, with their approved quantity and amount. Row security applies, so a partner sees what its own
 * claims consumed.
 */
const consumingLines = `
  select c.account_id, c.claim_id, c.status, c.submitted_date, c.program_id, l.deal_id, l.approved_qty,
    l.approved_amount
  from claims c join claim_lines l on l.account_id = c.account_id and l.claim_id = c.claim_id
  where c.status not in ('draft', 'rejected') and l.status in ('approved', 'adjusted', 'review')`;

function claimsOf(rows: (ClaimAgainst & { key: string })[]): Map<string, ClaimAgainst[]> {
  const by = new Map<string, ClaimAgainst[]>();
  for (const { key, ...claim } of rows) {
    const list = by.get(key) ?? [];
    list.push(claim);
    by.set(key, list);
  }
  return by;
}

export async function programConsumption(
  db: Db,
  programIds: readonly string[],
): Promise<Map<string, ProgramConsumption>> {
  const { rows } = await db.query<ClaimAgainst & { key: string }>(
    `select x.program_id as key, x.claim_id, x.account_id, x.status, x.submitted_date,
       sum(x.approved_amount)::text as amount, sum(x.approved_qty)::int as qty
     from (${consumingLines}) x where x.program_id = any($1::text[])
     group by x.program_id, x.claim_id, x.account_id, x.status, x.submitted_date
     order by x.submitted_date, x.claim_id`,
    [programIds],
  );
  const claims = claimsOf(rows);
  return new Map(
    programIds.map((id) => {
      const list = claims.get(id) ?? [];
      const used = list.reduce((sum, c) => sum.plus(c.amount), new Money(0));
      return [id, { used: used.toFixed(Math.max(2, used.decimalPlaces())), claims: list }];
    }),
  );
}

export async function dealConsumption(
  db: Db,
  dealIds: readonly string[],
): Promise<Map<string, DealConsumption>> {
  const { rows } = await db.query<ClaimAgainst & { key: string }>(
    `select x.deal_id as key, x.claim_id, x.account_id, x.status, x.submitted_date,
       sum(x.approved_amount)::text as amount, sum(x.approved_qty)::int as qty
     from (${consumingLines}) x
     join programs p on p.program_id = x.program_id and p.type = 'special_bid'
     where x.deal_id = any($1::text[])
     group by x.deal_id, x.claim_id, x.account_id, x.status, x.submitted_date
     order by x.submitted_date, x.claim_id`,
    [dealIds],
  );
  const claims = claimsOf(rows);
  return new Map(
    dealIds.map((id) => {
      const list = claims.get(id) ?? [];
      return [id, { used_qty: list.reduce((n, c) => n + (c.qty ?? 0), 0), claims: list }];
    }),
  );
}
