/**
 * Month end (CONTROLS.md): on the last calendar day of a month, every non_compliance_charge still open that
 * day (applications dated that day count) is written off at its open amount, as a write-off worksheet per
 * currency with reason NCC_MONTH_END, approved by policy and posted dated that day. Runs are serialised by an
 * advisory lock and write off only what is still open, so running again — or for a day that is not a month's
 * last — writes off nothing more. Every run is recorded with what it wrote off.
 */
import { addDays, parseBusinessDate } from '../../core/dates.ts';
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { requireRole } from '../identity/index.ts';
import { recordAudit } from '../platform/index.ts';
import { postAdjustment } from './post-adjustment.ts';
import { monthEndRunners } from './roles.ts';

export interface MonthEndRun {
  run_id: string;
  as_of: string;
  ran_at: string;
  ran_by: string;
  last_day: boolean;
  charges: number;
  adjustment_ids: string[];
  written_off: {
    adjustment_id: string;
    account_id: string;
    document_id: string;
    amount: string;
    currency: string;
  }[];
}

export const isLastDayOfMonth = (date: string): boolean => addDays(date, 1).endsWith('-01');

export async function runMonthEnd(db: Db, input: { as_of: string }): Promise<MonthEndRun> {
  requireRole(db.actor, monthEndRunners);
  let asOf: string;
  try {
    asOf = parseBusinessDate(input.as_of);
  } catch {
    throw new AppError('validation_failed', `as_of: ${input.as_of} is not a date YYYY-MM-DD`, {
      issues: [{ field: 'as_of', message: 'a date YYYY-MM-DD' }],
    });
  }
  const lastDay = isLastDayOfMonth(asOf);
  const runId = await db.tx(async (tx) => {
    await tx.query(`select pg_advisory_xact_lock(hashtext('clearhouse.month-end'))`);
    const ids: string[] = [];
    let charges = 0;
    if (lastDay) {
      await tx.query(
        `create temporary table month_end_open (account_id text, document_id text, currency text,
           open numeric(18, 2)) on commit drop`,
      );
      // Open that day, and never more than is open overall (an application dated later already counts).
      await tx.query(
        `insert into month_end_open (account_id, document_id, currency, open)
         select x.account_id, x.document_id, x.currency, x.open from (
           select d.account_id, d.document_id, d.currency::text as currency,
             least(d.amount - coalesce(t.to_date, 0), d.amount - coalesce(t.every, 0)) as open
           from ar_documents d
           left join lateral (
             select sum(e.amount) filter (where e.applied_date <= $1::date) as to_date, sum(e.amount) as every
             from ar_application_entries e where e.account_id = d.account_id and e.document_id = d.document_id
           ) t on true
           where d.type = 'non_compliance_charge' and d.document_date <= $1::date
         ) x where x.open > 0`,
        [asOf],
      );
      const { rows: open } = await tx.query<{ currency: string; n: number }>(
        'select currency, count(*)::int as n from month_end_open group by currency order by currency',
      );
      for (const { currency, n } of open) {
        const { rows: idRows } = await tx.query<{ id: string }>(
          `select 'ADJ-' || lpad(nextval('adjustment_numbers')::text, 6, '0') as id`,
        );
        const id = idRows[0]!.id;
        await tx.query(
          `insert into adjustments (adjustment_id, kind, account_id, currency, amount, reason_code, comment,
             source_type, source_id, requested_by_name)
           select $1, 'write_off',
             case when count(distinct account_id) = 1 then min(account_id) else '' end,
             $2::text, sum(open), 'NCC_MONTH_END',
             'Non-compliance charges open on ' || $3::text || ', written off at month end', 'month_end', $3::text, $4
           from month_end_open where currency = $2::text`,
          [id, currency, asOf, tx.actor.name],
        );
        await tx.query(
          `insert into adjustment_lines (account_id, adjustment_id, line_no, document_id, amount)
           select account_id, $1, row_number() over (order by account_id, document_id), document_id, open
           from month_end_open where currency = $2`,
          [id, currency],
        );
        await postAdjustment(tx, id, asOf);
        await recordAudit(tx, {
          entityType: 'adjustment',
          entityId: id,
          accountId: null,
          action: 'month_end_write_off',
          after: { as_of: asOf, currency, charges: n },
        });
        ids.push(id);
        charges += n;
      }
    }
    const { rows } = await tx.query<{ run_id: string }>(
      `insert into month_end_runs (as_of, ran_by, last_day, charges, adjustment_ids)
       values ($1, $2, $3, $4, $5) returning run_id::text`,
      [asOf, tx.actor.name, lastDay, charges, ids],
    );
    return rows[0]!.run_id;
  });
  return (await monthEndRuns(db, { runId }))[0]!;
}

export async function monthEndRuns(
  db: Db,
  opts: { runId?: string; limit?: number } = {},
): Promise<MonthEndRun[]> {
  requireRole(db.actor, [...monthEndRunners, 'approver', 'collector', 'credit']);
  const { rows } = await db.query<MonthEndRun>(
    `select r.run_id::text, r.as_of, to_char(r.ran_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as ran_at,
       r.ran_by, r.last_day, r.charges, r.adjustment_ids,
       coalesce((select jsonb_agg(jsonb_build_object('adjustment_id', l.adjustment_id, 'account_id', l.account_id,
                   'document_id', l.document_id, 'amount', l.amount::text, 'currency', a.currency)
                   order by l.adjustment_id, l.line_no)
                 from adjustment_lines l join adjustments a on a.adjustment_id = l.adjustment_id
                 where l.adjustment_id = any(r.adjustment_ids)), '[]') as written_off
     from month_end_runs r where ($1::bigint is null or r.run_id = $1::bigint)
     order by r.run_id desc limit $2`,
    [opts.runId ?? null, opts.limit ?? 50],
  );
  return rows;
}
