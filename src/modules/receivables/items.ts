/** Open items as of a date (with their open amount and days past due), and one item with its timeline. */
import { today } from '../../core/dates.ts';
import { notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { keptRead, scopeKey } from '../../db/kept-answers.ts';
import {
  bucketsFor,
  defaultBoundaries,
  openItemsSql,
  requireReceivablesReader,
  thresholds,
} from './aging.ts';
import { type ItemsQuery, itemQuery, itemsQuery } from './schemas.ts';

export interface OpenItem {
  kind: 'invoice' | 'credit_memo' | 'debit_memo' | 'non_compliance_charge' | 'deduction' | 'payment';
  item_id: string;
  account_id: string;
  item_date: string;
  due_date: string | null;
  currency: string;
  /** Signed: documents positive, credit memos and payments negative. */
  amount: string;
  open_amount: string;
  /** as_of − the date the item is aged from (due date, or its own date for payments and credit memos). */
  days_past_due: number;
  bucket: string;
}

interface ItemRow extends Omit<OpenItem, 'days_past_due' | 'bucket'> {
  days_past_due: number;
  b: number;
}

export async function listOpenItems(
  db: Db,
  raw: ItemsQuery = {},
): Promise<{ as_of: string; items: OpenItem[]; total: number }> {
  requireReceivablesReader(db);
  // A server keeps the page it read and gives it again while nothing it was read from has changed (the date
  // it is as of, today by default, in its key).
  const asOfKey = itemsQuery.parse(raw).as_of ?? today();
  return keptRead(db, 'receivable_changes', [scopeKey(db.actor), 'items', raw, asOfKey], (tx) =>
    readOpenItems(tx, raw),
  );
}

async function readOpenItems(
  db: Db,
  raw: ItemsQuery,
): Promise<{ as_of: string; items: OpenItem[]; total: number }> {
  const q = itemsQuery.parse(raw);
  const asOf = q.as_of ?? today();
  const boundaries = q.buckets ?? defaultBoundaries;
  const buckets = bucketsFor(boundaries);
  const params: unknown[] = [asOf, q.basis ?? 'due_date', thresholds(boundaries), q.limit, q.offset];
  if (q.account_id) params.push(q.account_id);
  const { rows } = await db.query<ItemRow & { full_count: string }>(
    `with ${openItemsSql(q.account_id ? '$6' : undefined)}
     select x.kind, x.item_id, x.account_id, x.item_date, x.due_date, x.currency,
       x.amount::numeric(18, 2)::text as amount, x.open_amount::numeric(18, 2)::text as open_amount,
       ($1::date - x.age_date) as days_past_due, width_bucket($1::date - x.age_date, $3::int[]) as b,
       count(*) over () as full_count
     from items x where x.open_amount <> 0
     order by x.account_id, x.age_date, x.item_id
     limit $4 offset $5`,
    params,
  );
  return {
    as_of: asOf,
    total: rows[0] ? Number(rows[0].full_count) : 0,
    items: rows.map(({ b, full_count: _n, ...r }) => ({ ...r, bucket: buckets[b]!.key })),
  };
}

export interface ApplicationEntry {
  entry_id: string;
  payment_id: string;
  document_id: string;
  applied_date: string;
  amount: string;
  kind: 'applied' | 'reversal';
  reverses_entry_id: string | null;
  entered_at: string;
  entered_by: string | null;
}

export interface ItemDetail {
  item: OpenItem & { type_label: string; reference: string | null; po_number: string | null };
  as_of: string;
  /** The application journal of the item in the order it was written (reversals included). */
  timeline: ApplicationEntry[];
  /** The applications in force now. */
  applications: { payment_id: string; document_id: string; applied_date: string; amount: string }[];
}

/** A document (or payment) by its id; 404 when the caller cannot see it. */
export async function getItem(db: Db, id: string, raw: { as_of?: string } = {}): Promise<ItemDetail> {
  requireReceivablesReader(db);
  const asOf = itemQuery.parse(raw).as_of ?? today();
  return db.tx(async (tx) => {
    const found = await tx.query<{
      kind: OpenItem['kind'];
      item_id: string;
      account_id: string;
      item_date: string;
      due_date: string | null;
      currency: string;
      amount: string;
      reference: string | null;
      po_number: string | null;
      source: boolean;
    }>(
      `select d.type as kind, d.document_id as item_id, d.account_id, d.document_date as item_date, d.due_date,
         d.currency, d.amount::text, d.reference, d.po_number, d.type = 'credit_memo' as source
       from ar_documents d where d.document_id = $1
       union all
       select 'payment', p.payment_id, p.account_id, p.received_date, null, p.currency, p.amount::text,
         p.reference, null, true
       from ar_payments p where p.payment_id = $1
       limit 1`,
      [id],
    );
    const doc = found.rows[0];
    if (!doc) throw notFound(`The item ${id}`);
    const side = doc.source ? 'payment_id' : 'document_id';
    const timeline = await tx.query<ApplicationEntry>(
      `select e.entry_id::text, e.payment_id, e.document_id, e.applied_date, e.amount::text, e.kind,
         e.reverses_entry_id::text, e.entered_at, e.entered_by
       from ar_application_entries e where e.account_id = $2 and e.${side} = $1 order by e.entry_id`,
      [id, doc.account_id],
    );
    const current = await tx.query<ItemDetail['applications'][number]>(
      `select a.payment_id, a.document_id, a.applied_date, a.amount::text
       from ar_applications a where a.account_id = $2 and a.${side} = $1
       order by a.applied_date, a.payment_id, a.document_id`,
      [id, doc.account_id],
    );
    const agg = await tx.query<{ applied: string; days: number }>(
      `select coalesce(sum(e.amount), 0)::text as applied, $3::date - $4::date as days
       from ar_application_entries e where e.account_id = $2 and e.${side} = $1 and e.applied_date <= $3`,
      [id, doc.account_id, asOf, doc.source ? doc.item_date : doc.due_date],
    );
    const exists = doc.item_date <= asOf;
    const sign = doc.source ? '-' : '';
    const open = await tx.query<{ open: string; amount: string }>(
      `select (${sign}($1::numeric - $2::numeric))::numeric(18, 2)::text as open,
         (${sign}$1::numeric)::numeric(18, 2)::text as amount`,
      [doc.amount, exists ? agg.rows[0]!.applied : doc.amount],
    );
    const days = agg.rows[0]!.days;
    const buckets = bucketsFor(defaultBoundaries);
    const bucket =
      days <= 0
        ? 'not_due'
        : buckets.find((b) => b.from !== null && days >= b.from && (b.to === null || days <= b.to))!.key;
    return {
      as_of: asOf,
      item: {
        kind: doc.kind,
        type_label: doc.kind.replaceAll('_', ' '),
        item_id: doc.item_id,
        account_id: doc.account_id,
        item_date: doc.item_date,
        due_date: doc.due_date,
        currency: doc.currency,
        amount: open.rows[0]!.amount,
        open_amount: open.rows[0]!.open,
        days_past_due: days,
        bucket,
        reference: doc.reference,
        po_number: doc.po_number,
      },
      timeline: timeline.rows.map((r) => ({
        ...r,
        entered_at: new Date(r.entered_at as unknown as Date).toISOString(),
      })),
      applications: current.rows,
    };
  });
}
