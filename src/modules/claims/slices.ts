/**
 * A validation run spread over worker processes: the partners are handed out in slices
 * (`claims.validate-slice` jobs), each validated by `validateClaims(db, { accounts })` on any worker.
 *
 * RULES.md's ledger runs in one processing order, and most of what a line consumes is its partner's own (its
 * sell-out lines, stock, protected quantities, funds, period true-ups). What lines of different partners may
 * share is settled first, in one set-based pass over the run's data (`sharedKeys`):
 * - a serial number (DUPLICATE_CLAIM: a serial credited to any partner cannot be credited again), named on a
 *   line or carried by the sell-out line a line names or may match;
 * - a program budget (BUDGET_EXCEEDED), where it can bind: when the lines of a program can never consume
 *   more than its budget (every line's claimed or stored approved amount summed), no line can exceed it;
 * - a deal named by a line of another partner (rejected as DEAL_UNKNOWN, unless an analyst overrode it).
 * Partners linked by any of these, directly or through others, form one group and always go into the same
 * slice, which replays their lines in processing order; groups are then packed into slices of about
 * `size` partners. Every slice's results are exactly those of one whole run (test/validation-slices).
 */
import type { Db } from '../../db/db.ts';

/** Partners per `claims.validate-slice` job (a group that shares something is never split). */
export const validationSliceSize = 250;

/** What lines of more than one partner share: each key with the partners that touch it. */
const sharedKeys = `
with lines as (
  select l.account_id, l.sku, l.sale_date, l.end_customer_id, l.sell_out_ref, l.serial_numbers, l.deal_id,
    l.claimed_amount, r.approved_amount, c.program_id
  from claims c
  join claim_line_inputs l on l.account_id = c.account_id and l.claim_id = c.claim_id
  left join claim_line_results r on r.account_id = l.account_id and r.claim_id = l.claim_id and r.line_no = l.line_no
  where c.status <> 'draft'
),
binding as (
  select l.program_id from lines l
  join programs p on p.program_id = l.program_id
  join program_versions v on v.program_id = p.program_id and v.version = p.active_version
  where v.budget is not null
  group by l.program_id, v.budget
  having sum(greatest(l.claimed_amount, coalesce(l.approved_amount, 0), 0)) > v.budget
),
keys as (
  select 's:' || s as key, l.account_id from lines l cross join unnest(l.serial_numbers) s
  union all
  select 's:' || s, l.account_id from lines l
  join sell_out so on so.account_id = l.account_id and so.sell_out_ref = l.sell_out_ref
  cross join unnest(so.serial_numbers) s
  where so.serial_numbers is not null
  union all
  select 's:' || s, l.account_id from lines l
  join sell_out so on so.account_id = l.account_id and so.sku = l.sku and so.sale_date = l.sale_date
    and coalesce(so.end_customer_id, '') = coalesce(l.end_customer_id, '')
  cross join unnest(so.serial_numbers) s
  where l.sell_out_ref is null and so.serial_numbers is not null
  union all
  select 'd:' || l.deal_id, l.account_id from lines l where l.deal_id is not null
  union all
  select 'd:' || dl.deal_id, dl.account_id from lines l join deals dl on dl.deal_id = l.deal_id
  union all
  select 'b:' || l.program_id, l.account_id from lines l where l.program_id in (select program_id from binding)
)
select array_agg(distinct account_id) as accounts
from keys group by key having count(distinct account_id) > 1`;

/**
 * The partners with claims to validate, in slices: partners that share anything (see above) are in the same
 * slice; slices hold about `size` partners (a larger group stays whole), in account order.
 */
export async function planValidationSlices(db: Db, size = validationSliceSize): Promise<string[][]> {
  return db.tx(async (tx) => {
    // As the tables' owner: a plan covers every partner, like the run itself.
    await tx.query(`set local role none; set local jit = off; set local work_mem = '256MB'`);
    const { rows: partners } = await tx.query<{ account_id: string }>(
      `select account_id from claims where status <> 'draft' group by account_id order by account_id collate "C"`,
    );
    const { rows: links } = await tx.query<{ accounts: string[] }>(sharedKeys);
    // Union-find over the partners linked by a shared key.
    const parent = new Map<string, string>();
    const find = (a: string): string => {
      let root = a;
      while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
      let x = a;
      while (x !== root) {
        const next = parent.get(x) ?? root;
        parent.set(x, root);
        x = next;
      }
      return root;
    };
    for (const { accounts } of links) {
      let first = find(accounts[0]!);
      for (const a of accounts.slice(1)) {
        const root = find(a);
        if (root < first) {
          parent.set(first, root);
          first = root;
        } else if (root > first) parent.set(root, first);
      }
    }
    const groups = new Map<string, string[]>();
    for (const { account_id } of partners) {
      const root = find(account_id);
      let group = groups.get(root);
      if (group === undefined) {
        group = [];
        groups.set(root, group);
      }
      group.push(account_id);
    }
    const slices: string[][] = [];
    let current: string[] = [];
    for (const group of groups.values()) {
      if (current.length > 0 && current.length + group.length > size) {
        slices.push(current);
        current = [];
      }
      current.push(...group);
    }
    if (current.length > 0) slices.push(current);
    return slices;
  });
}
