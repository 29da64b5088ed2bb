/**
 * What an approved adjustment posts (CONTROLS.md), as new entries only, dated the day of the approval that
 * completed it:
 * - credit_adjustment: a credit memo CA-… for the amount, applied to the document;
 * - rebill: a credit memo RB-… for the document's open amount, applied to it, and a new invoice RI-… for the
 *   corrected amount (the original's payment terms);
 * - debit_adjustment: a debit memo DA-…;
 * - write_off / absorption: an application WO-… / AB-… of the amount to the document, which the aging, the
 *   statement and the item's timeline read like any application, so an aging as of an earlier date is
 *   unchanged and the applications loader counts it when it checks a document's amount.
 * Every posting is a row of adjustment_postings, unique per line and part (and by the document ids it
 * creates), so a request can never be posted twice; the journal reads those rows.
 */
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { recordAuditMany } from '../platform/index.ts';

const parts = `(values ('credit_adjustment', 'credit_memo', 'CA'), ('rebill', 'credit_memo', 'RB'),
  ('rebill', 'invoice', 'RI'), ('debit_adjustment', 'debit_memo', 'DA'), ('write_off', 'write_off', 'WO'),
  ('absorption', 'absorption', 'AB')) as p(kind, part, prefix)`;

export async function postAdjustment(tx: Db, adjustmentId: string, on: string): Promise<number> {
  // Lines asking more than is open now (another request, cash or a load since it was requested).
  const { rows: short } = await tx.query<{ document_id: string; amount: string; open: string; kind: string }>(
    `select l.document_id, l.amount::text, o.open::text, a.kind
     from adjustments a join adjustment_lines l on l.adjustment_id = a.adjustment_id
     join ar_documents d on d.document_id = l.document_id
     cross join lateral (select d.amount - coalesce((select sum(e.amount) from ar_application_entries e
       where e.account_id = d.account_id and e.document_id = d.document_id), 0) as open) o
     where a.adjustment_id = $1 and a.kind <> 'debit_adjustment'
       and (o.open < l.amount and a.kind <> 'rebill' or o.open <= 0)
     order by l.line_no`,
    [adjustmentId],
  );
  if (short.length > 0)
    throw new AppError(
      'conflict',
      `It cannot be posted as requested: ${short
        .map((s) => `${s.document_id} has ${s.open} open, ${s.amount} was requested`)
        .join('; ')}. Refuse it and request it again.`,
      { details: { documents: short } },
    );
  const { rowCount } = await tx.query(
    `insert into adjustment_postings (account_id, posting_id, adjustment_id, line_no, part, kind, entry_date,
       document_id, created_document_id, amount, currency)
     select l.account_id, p.prefix || '-' || l.adjustment_id || '-' || l.line_no, l.adjustment_id, l.line_no,
       p.part, a.kind, $2::date,
       case when p.part in ('invoice', 'debit_memo') then p.prefix || '-' || l.adjustment_id || '-' || l.line_no
         else l.document_id end,
       case when p.part in ('credit_memo', 'invoice', 'debit_memo')
         then p.prefix || '-' || l.adjustment_id || '-' || l.line_no end,
       case when p.part = 'invoice' then a.corrected_amount when a.kind = 'rebill' then o.open else l.amount end,
       a.currency
     from adjustments a join adjustment_lines l on l.adjustment_id = a.adjustment_id
     join ar_documents d on d.document_id = l.document_id
     cross join lateral (select d.amount - coalesce((select sum(e.amount) from ar_application_entries e
       where e.account_id = d.account_id and e.document_id = d.document_id), 0) as open) o
     join ${parts} on p.kind = a.kind
     where a.adjustment_id = $1
     order by l.line_no, p.part`,
    [adjustmentId, on],
  );
  await tx.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount,
       reference, po_number)
     select p.account_id, p.created_document_id,
       case p.part when 'invoice' then 'invoice' else p.part end, p.entry_date,
       p.entry_date + case when p.part = 'credit_memo' then 0 else greatest(d.due_date - d.document_date, 0) end,
       p.currency, p.amount, l.document_id, case when p.part = 'invoice' then d.po_number end
     from adjustment_postings p
     join adjustment_lines l on l.adjustment_id = p.adjustment_id and l.line_no = p.line_no
     join ar_documents d on d.document_id = l.document_id
     where p.adjustment_id = $1 and p.created_document_id is not null
     order by p.account_id, p.created_document_id`,
    [adjustmentId],
  );
  await tx.query(
    `insert into ar_applications (account_id, payment_id, document_id, applied_date, amount)
     select p.account_id, p.posting_id, p.document_id, p.entry_date, p.amount
     from adjustment_postings p
     where p.adjustment_id = $1 and p.part in ('credit_memo', 'write_off', 'absorption')
     order by p.account_id, p.posting_id`,
    [adjustmentId],
  );
  await tx.query(
    `update adjustments set status = 'approved', posted_on = $2::date, posted_at = now() where adjustment_id = $1`,
    [adjustmentId, on],
  );
  const { rows: posted } = await tx.query<{
    account_id: string;
    posting_id: string;
    part: string;
    kind: string;
    document_id: string;
    amount: string;
  }>(
    `select account_id, posting_id, part, kind, document_id, amount::text from adjustment_postings
     where adjustment_id = $1 order by line_no, part`,
    [adjustmentId],
  );
  await recordAuditMany(
    tx,
    posted.map((p) => ({
      entityType: 'ar_document',
      entityId: p.document_id,
      accountId: p.account_id,
      action: `${p.kind}_posted`,
      after: {
        adjustment_id: adjustmentId,
        posting_id: p.posting_id,
        part: p.part,
        amount: p.amount,
        entry_date: on,
      },
    })),
  );
  return rowCount ?? 0;
}
