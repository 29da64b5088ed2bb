/**
 * The receivables templates' cross-row rules, run by the import engine before the merge (set-based, in the
 * load's transaction): documents and payments that already carry applications may not change in a way
 * that breaks them, and applications may never apply more than a document's open amount or a payment's
 * (credit memo's) unapplied amount on their applied date.
 */
import type { Db } from '../../db/db.ts';
import type { ImportIssue } from '../imports/types.ts';

interface IssueRow {
  line: string;
  column_name: string;
  value: string | null;
  reason: string;
}

const toIssues = (rows: IssueRow[]): ImportIssue[] =>
  rows.map((r) => ({ line: Number(r.line), column: r.column_name, value: r.value, reason: r.reason }));

/** invoices.csv: changes to documents that payments or credit memos are applied to (or that are applied). */
export async function beforeDocumentsMerge(tx: Db, rows: string): Promise<ImportIssue[]> {
  const { rows: found } = await tx.query<IssueRow>(
    `select x._line as line, x.column_name, x.value, x.reason from (
       select n._line,
         case
           when n.currency <> o.currency then 'currency'
           when (n.type = 'credit_memo') <> (o.type = 'credit_memo') then 'type'
           when n.amount < a.applied then 'amount'
           when n.document_date > a.first_date then 'document_date'
         end as column_name,
         case
           when n.currency <> o.currency then n.currency
           when (n.type = 'credit_memo') <> (o.type = 'credit_memo') then n.type
           when n.amount < a.applied then n.amount::text
           when n.document_date > a.first_date then n.document_date::text
         end as value,
         case
           when n.currency <> o.currency then 'cannot change from ' || o.currency || ': '
             || a.applied || ' is applied ' || a.direction || ' document ' || n.document_id
           when (n.type = 'credit_memo') <> (o.type = 'credit_memo') then 'cannot change from ' || o.type
             || ': ' || a.applied || ' is applied ' || a.direction || ' document ' || n.document_id
           when n.amount < a.applied then 'is less than the ' || a.applied || ' already applied '
             || a.direction || ' document ' || n.document_id
           when n.document_date > a.first_date then 'is after an application dated ' || a.first_date
         end as reason
       from ${rows}
       join ar_documents o on o.document_id = n.document_id
       cross join lateral (
         select sum(p.amount) as applied, min(p.applied_date) as first_date,
           case when o.type = 'credit_memo' then 'from' else 'to' end as direction
         from ar_applications p
         where (o.type = 'credit_memo' and p.payment_id = o.document_id)
            or (o.type <> 'credit_memo' and p.document_id = o.document_id)
       ) a
       where a.applied is not null
     ) x where x.reason is not null order by x._line`,
  );
  return toIssues(found);
}

/** payments.csv: changes to payments that are applied. */
export async function beforePaymentsMerge(tx: Db, rows: string): Promise<ImportIssue[]> {
  const { rows: found } = await tx.query<IssueRow>(
    `select x._line as line, x.column_name, x.value, x.reason from (
       select n._line,
         case
           when n.currency <> o.currency then 'currency'
           when n.amount < a.applied then 'amount'
           when n.received_date > a.first_date then 'received_date'
         end as column_name,
         case
           when n.currency <> o.currency then n.currency
           when n.amount < a.applied then n.amount::text
           when n.received_date > a.first_date then n.received_date::text
         end as value,
         case
           when n.currency <> o.currency then 'cannot change from ' || o.currency || ': ' || a.applied
             || ' of payment ' || n.payment_id || ' is applied'
           when n.amount < a.applied then 'is less than the ' || a.applied || ' already applied from payment '
             || n.payment_id
           when n.received_date > a.first_date then 'is after an application dated ' || a.first_date
         end as reason
       from ${rows}
       join ar_payments o on o.payment_id = n.payment_id
       cross join lateral (
         select sum(p.amount) as applied, min(p.applied_date) as first_date
         from ar_applications p where p.payment_id = o.payment_id
       ) a
       where a.applied is not null
     ) x where x.reason is not null order by x._line`,
  );
  return toIssues(found);
}

/**
 * applications.csv: with the file's rows replacing the current applications under the same key, every
 * document and every payment or credit memo stays within its amount on every date. Applications are
 * positive, so the running sum by applied date is what was applied on each date: a line is refused where
 * the running sum passes the amount (the open amount on its applied date is smaller than the line), and
 * every line of a document or payment whose total passes it because of applications dated later.
 */
export async function beforeApplicationsMerge(tx: Db, rows: string): Promise<ImportIssue[]> {
  const { rows: found } = await tx.query<IssueRow>(
    `with f as materialized (
       select n._line, n.payment_id, n.document_id, n.applied_date, n.amount from ${rows}
     ),
     kept as (
       select null::bigint as _line, a.payment_id, a.document_id, a.applied_date, a.amount
       from ar_applications a
       where (a.document_id in (select f.document_id from f) or a.payment_id in (select f.payment_id from f))
         and not exists (select 1 from f where f.payment_id = a.payment_id and f.document_id = a.document_id)
     ),
     every as (select * from f union all select * from kept),
     by_document as (
       select x.*, sum(x.amount) over (partition by x.document_id
           order by x.applied_date, x._line nulls first, x.payment_id rows unbounded preceding) as running,
         sum(x.amount) over (partition by x.document_id) as total
       from every x
     ),
     by_source as (
       select x.*, sum(x.amount) over (partition by x.payment_id
           order by x.applied_date, x._line nulls first, x.document_id rows unbounded preceding) as running,
         sum(x.amount) over (partition by x.payment_id) as total
       from every x
     )
     select b._line as line, 'amount' as column_name, b.amount::text as value,
       case when b.running > d.amount
         then 'exceeds the open amount of ' || b.document_id || ' on ' || b.applied_date || ' ('
           || (d.amount - b.running + b.amount) || ' open of ' || d.amount || ')'
         else 'with the applications dated after it, ' || b.document_id || ' would have ' || b.total
           || ' applied against its amount of ' || d.amount
       end as reason
     from by_document b join ar_documents d on d.document_id = b.document_id
     where b._line is not null and b.total > d.amount
     union all
     select b._line, 'amount', b.amount::text,
       case when b.running > s.amount
         then 'exceeds the unapplied amount of ' || replace(s.kind, '_', ' ') || ' ' || b.payment_id || ' on '
           || b.applied_date || ' (' || (s.amount - b.running + b.amount) || ' unapplied of ' || s.amount || ')'
         else 'with the applications dated after it, ' || replace(s.kind, '_', ' ') || ' ' || b.payment_id
           || ' would have ' || b.total || ' applied of its ' || s.amount
       end
     from by_source b join ar_application_sources s on s.source_id = b.payment_id
     where b._line is not null and b.total > s.amount
     order by 1`,
  );
  return toIssues(found);
}
