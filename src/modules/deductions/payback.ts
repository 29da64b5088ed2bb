/**
 * Paybacks of denied deductions: a denied deduction whose document is paid in full (cash application matches
 * a payment quoting the deduction's id to its document like any other) is repaid; one still open past its
 * payback due date is escalated once to the account's sales owner as a collections task. The cash
 * application job marks repayments after each run; the daily job does both.
 */
import { today } from '../../core/dates.ts';
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { createTask } from '../collections/index.ts';
import { requireRole } from '../identity/index.ts';
import { defineJob, recordAuditMany } from '../platform/index.ts';
import { deductionLeads } from './desk.ts';

/** SQL: what is open on the deduction document of deduction row `d`. */
const openSql = `(x.amount - coalesce((select sum(e.amount) from ar_application_entries e
  where e.account_id = x.account_id and e.document_id = x.document_id), 0))`;

/**
 * Marks repaid every denied deduction whose deduction document nothing is open on any more (set-based; for
 * the jobs, in the caller's transaction). Returns the deductions marked.
 */
export async function markRepaidDeductions(tx: Db, on: string = today()): Promise<string[]> {
  const { rows } = await tx.query<{ account_id: string; deduction_id: string }>(
    `update deductions d set status = 'repaid', resolved_on = $1::date, updated_at = now()
     from ar_documents x
     where d.status = 'denied' and x.document_id = d.deduction_id and x.type = 'deduction' and ${openSql} <= 0
     returning d.account_id, d.deduction_id`,
    [on],
  );
  await recordAuditMany(
    tx,
    rows.map((r) => ({
      entityType: 'deduction',
      entityId: r.deduction_id,
      accountId: r.account_id,
      action: 'repaid',
      after: { status: 'repaid', resolved_on: on },
    })),
  );
  return rows.map((r) => r.deduction_id);
}

export interface PaybackEscalation {
  on: string;
  repaid: string[];
  /** Tasks opened, one per account, for its overdue paybacks. */
  escalated: { account_id: string; task_id: string; deduction_ids: string[] }[];
  /** Overdue paybacks not escalated this time (tried again the next day). */
  waiting: { account_id: string; deduction_ids: string[]; reason: string }[];
}

/**
 * Opens an "escalate to sales" task for each account with denied deductions still open past their payback
 * due date that were not escalated before (escalated_on), naming the deductions. An account with no sales
 * owner, or with an escalation task open already, waits: the deductions are escalated on a later day.
 */
export async function escalateOverduePaybacks(db: Db, on: string = today()): Promise<PaybackEscalation> {
  requireRole(db.actor, deductionLeads);
  const repaid = await db.tx((tx) => markRepaidDeductions(tx, on));
  const { rows } = await db.query<{
    account_id: string;
    deduction_ids: string[];
    lines: string[];
  }>(
    `select d.account_id, array_agg(d.deduction_id order by d.payback_due_date, d.deduction_id) as deduction_ids,
       array_agg(d.deduction_id || ': ' || ${openSql}::numeric(18, 2)::text || ' ' || d.currency || ' denied on '
         || d.denied_on || ', payback due ' || d.payback_due_date
         order by d.payback_due_date, d.deduction_id) as lines
     from deductions d join ar_documents x on x.document_id = d.deduction_id and x.type = 'deduction'
     where d.status = 'denied' and d.escalated_on is null and d.payback_due_date < $1::date and ${openSql} > 0
     group by d.account_id order by d.account_id`,
    [on],
  );
  const result: PaybackEscalation = { on, repaid, escalated: [], waiting: [] };
  for (const a of rows) {
    try {
      const task = await db.tx(async (tx) => {
        const t = await createTask(tx, a.account_id, {
          kind: 'escalate_to_sales',
          document_ids: a.deduction_ids,
          note: `Denied deductions not paid back by their due date:\n${a.lines.join('\n')}`,
        });
        await tx.query(
          `update deductions set escalated_on = $2::date, updated_at = now() where deduction_id = any($1::text[])`,
          [a.deduction_ids, on],
        );
        await recordAuditMany(
          tx,
          a.deduction_ids.map((id) => ({
            entityType: 'deduction',
            entityId: id,
            accountId: a.account_id,
            action: 'escalated',
            after: { escalated_on: on, task_id: t.task_id, assignee: t.assignee },
          })),
        );
        return t;
      });
      result.escalated.push({
        account_id: a.account_id,
        task_id: task.task_id,
        deduction_ids: a.deduction_ids,
      });
    } catch (err) {
      if (!(err instanceof AppError) || !['conflict', 'validation_failed'].includes(err.code)) throw err;
      result.waiting.push({ account_id: a.account_id, deduction_ids: a.deduction_ids, reason: err.message });
    }
  }
  return result;
}

/** Daily, after the morning's cash application: repayments, then the paybacks overdue. */
export const paybacksJob = defineJob({
  name: 'deductions.paybacks',
  schedule: '0 7 * * *',
  tz: 'UTC',
  async handler(ctx) {
    const r = await escalateOverduePaybacks(ctx.db);
    ctx.log.info(
      { repaid: r.repaid.length, escalated: r.escalated.length, waiting: r.waiting.length },
      'deduction paybacks',
    );
    return r;
  },
});
