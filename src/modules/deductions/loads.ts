/**
 * deductions.csv, before the merge (in the load's transaction): a deduction already decided keeps its
 * amount, currency and documents; every deduction becomes an open receivable (a document of type deduction)
 * and, when it names the invoice it was taken from, the kept amount is transferred from that invoice (as a
 * short pay in cash application does), so the invoice and its deduction are not owed twice.
 */
import type { Db } from '../../db/db.ts';
import type { ImportIssue } from '../imports/index.ts';

export async function beforeDeductionsMerge(tx: Db, rows: string): Promise<ImportIssue[]> {
  const { rows: refused } = await tx.query<{
    line: string;
    column_name: string;
    value: string | null;
    reason: string;
  }>(
    `select n._line as line,
       case when n.account_id <> o.account_id then 'account_id' when n.currency <> o.currency then 'currency'
         when n.amount <> o.amount then 'amount' else 'document_id' end as column_name,
       case when n.account_id <> o.account_id then n.account_id when n.currency <> o.currency then n.currency
         when n.amount <> o.amount then n.amount::text else n.document_id end as value,
       'cannot change: deduction ' || o.deduction_id || ' is already '
         || case when o.status <> 'open' then o.status else coalesce(o.validation, 'in use') end as reason
     from ${rows}
     join deductions o on o.deduction_id = n.deduction_id
     where (n.account_id <> o.account_id or n.currency <> o.currency or n.amount <> o.amount
         or n.document_id is distinct from o.document_id)
       and (o.status <> 'open' or o.valid_amount > 0 or o.source <> 'import'
         or (o.validation is not null and o.validation <> 'unmatched')
         or exists (select 1 from ar_applications a where a.document_id = o.deduction_id))
     order by n._line`,
  );
  if (refused.length > 0)
    return refused.map((r) => ({
      line: Number(r.line),
      column: r.column_name,
      value: r.value,
      reason: r.reason,
    }));

  await tx.query(
    `insert into ar_documents as d (account_id, document_id, type, document_date, due_date, currency, amount,
       reference)
     select n.account_id, n.deduction_id, 'deduction', n.deduction_date, n.deduction_date, n.currency, n.amount,
       coalesce(n.reference, n.reason_code)
     from ${rows}
     order by n.account_id, n.deduction_id
     on conflict (account_id, document_id) do update
       set amount = excluded.amount, document_date = excluded.document_date, due_date = excluded.due_date,
         currency = excluded.currency, reference = excluded.reference, updated_at = now()
       where (d.amount, d.document_date, d.currency, d.reference)
         is distinct from (excluded.amount, excluded.document_date, excluded.currency, excluded.reference)`,
  );
  // The kept amount closes the invoice it was taken from, up to what is still open of it (once).
  await tx.query(
    `insert into ar_applications (account_id, payment_id, document_id, applied_date, amount)
     select n.account_id, n.deduction_id, n.document_id, greatest(n.deduction_date, i.document_date),
       least(n.amount, i.amount - coalesce((select sum(a.amount) from ar_applications a
         where a.document_id = i.document_id), 0))
     from ${rows}
     join ar_documents i on i.account_id = n.account_id and i.document_id = n.document_id
     where n.document_id is not null
       and not exists (select 1 from ar_applications a where a.payment_id = n.deduction_id)
       and i.amount - coalesce((select sum(a.amount) from ar_applications a where a.document_id = i.document_id), 0) > 0
     order by n.account_id, n.deduction_id
     on conflict do nothing`,
  );
  return [];
}
