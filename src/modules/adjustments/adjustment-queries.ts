/** An adjustment with everything an approver needs in context, and lists of adjustments. */
import { notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import {
  type ApprovalDecision,
  type ApprovalRequest,
  findApprovalRequest,
  mayDecide,
} from '../approvals/index.ts';
import { hasAnyRole, requireRole } from '../identity/index.ts';
import { type AuditEvent, type DocumentRow, listEntityDocuments } from '../platform/index.ts';
import { adjustmentReaders } from './roles.ts';
import { type AdjustmentKind, type AdjustmentsQuery, adjustmentsQuery } from './schemas.ts';

export interface Adjustment {
  adjustment_id: string;
  kind: AdjustmentKind;
  account_id: string;
  account_name: string | null;
  currency: string;
  amount: string;
  corrected_amount: string | null;
  reason_code: string;
  reason_description: string;
  documents_required: boolean;
  comment: string;
  source_type: string;
  source_id: string | null;
  status: 'pending' | 'approved' | 'refused';
  requested_by: string | null;
  requested_by_name: string;
  requested_at: string;
  posted_on: string | null;
  line_count: number;
}

export interface AdjustmentLine {
  line_no: number;
  account_id: string;
  document_id: string;
  amount: string;
  type: string;
  document_date: string;
  due_date: string;
  document_amount: string;
  /** Open today, every application counted. */
  open_amount: string;
  days_past_due: number;
}

export interface AdjustmentPosting {
  posting_id: string;
  line_no: number;
  part: string;
  kind: string;
  entry_date: string;
  document_id: string;
  created_document_id: string | null;
  amount: string;
}

export interface AdjustmentDetail extends Adjustment {
  lines: AdjustmentLine[];
  request: ApprovalRequest | null;
  decisions: ApprovalDecision[];
  postings: AdjustmentPosting[];
  documents: DocumentRow[];
  /** The audit trail of the adjustment and of its documents, newest first. */
  history: AuditEvent[];
  /** The applications journal of its documents (cash, credits, write-offs), oldest first. */
  applications: {
    entry_id: string;
    document_id: string;
    payment_id: string;
    applied_date: string;
    amount: string;
    kind: string;
  }[];
  /** Null when the caller may approve or refuse it now; otherwise why not. */
  cannot_decide: string | null;
}

const columns = `a.adjustment_id, a.kind, a.account_id, ac.name as account_name, a.currency::text, a.amount::text,
  a.corrected_amount::text, a.reason_code, r.description as reason_description, r.documents_required, a.comment,
  a.source_type, a.source_id, a.status, a.requested_by::text, a.requested_by_name,
  to_char(a.requested_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as requested_at, a.posted_on,
  (select count(*)::int from adjustment_lines l where l.adjustment_id = a.adjustment_id) as line_count`;
const from = `from adjustments a join adjustment_reasons r on r.reason_code = a.reason_code
  left join accounts ac on ac.account_id = a.account_id`;

export async function getAdjustment(db: Db, id: string): Promise<AdjustmentDetail> {
  requireRole(db.actor, adjustmentReaders);
  return db.tx(async (tx) => {
    const { rows } = await tx.query<Adjustment>(`select ${columns} ${from} where a.adjustment_id = $1`, [id]);
    const adjustment = rows[0];
    if (!adjustment) throw notFound(`The adjustment ${id}`);
    const lines = await tx.query<AdjustmentLine>(
      `select l.line_no, l.account_id, l.document_id, l.amount::text, d.type, d.document_date, d.due_date,
         d.amount::text as document_amount,
         (d.amount - coalesce((select sum(e.amount) from ar_application_entries e
           where e.account_id = d.account_id and e.document_id = d.document_id), 0))::text as open_amount,
         (current_date - d.due_date) as days_past_due
       from adjustment_lines l join ar_documents d on d.document_id = l.document_id
       where l.adjustment_id = $1 order by l.line_no`,
      [id],
    );
    const postings = await tx.query<AdjustmentPosting>(
      `select posting_id, line_no, part, kind, entry_date, document_id, created_document_id, amount::text
       from adjustment_postings where adjustment_id = $1 order by line_no, part`,
      [id],
    );
    const docIds = lines.rows.slice(0, 50).map((l) => l.document_id);
    const history = await tx.query<AuditEvent>(
      `select event_id::text, entity_type, entity_id, account_id, action, actor_id, actor_name, occurred_at, before,
         after
       from audit_events
       where (entity_type = 'adjustment' and entity_id = $1) or (entity_type = 'ar_document' and entity_id = any($2))
       order by audit_events.event_id desc limit 200`,
      [id, docIds],
    );
    const applications = await tx.query<AdjustmentDetail['applications'][number]>(
      `select e.entry_id::text, e.document_id, e.payment_id, e.applied_date, e.amount::text, e.kind
       from ar_application_entries e where e.document_id = any($1) order by e.entry_id limit 500`,
      [docIds],
    );
    const found = await findApprovalRequest(tx, 'adjustment', id);
    const request = found?.request ?? null;
    let cannot: string | null = null;
    if (request?.status !== 'pending') cannot = 'It is no longer pending.';
    else if (!hasAnyRole(tx.actor.roles, ['approver', 'manager', 'administrator']))
      cannot = 'Only approvers, managers and administrators decide requests.';
    else if (found?.decisions.some((d) => d.user_id === tx.actor.userId))
      cannot = 'You have decided it already; it waits for another approver.';
    else cannot = await mayDecide(tx, request);
    return {
      ...adjustment,
      lines: lines.rows,
      request,
      decisions: found?.decisions ?? [],
      postings: postings.rows,
      documents: await listEntityDocuments(tx, 'adjustment', id),
      history: history.rows,
      applications: applications.rows,
      cannot_decide: cannot,
    };
  });
}

export async function listAdjustments(db: Db, raw: AdjustmentsQuery = {}): Promise<Adjustment[]> {
  requireRole(db.actor, adjustmentReaders);
  const q = adjustmentsQuery.parse(raw);
  const { rows } = await db.query<Adjustment>(
    `select ${columns} ${from}
     where ($1::text is null or a.status = $1)
       and ($2::text is null or exists (select 1 from adjustment_lines l
                                        where l.adjustment_id = a.adjustment_id and l.document_id = $2)
            or exists (select 1 from adjustment_postings p
                       where p.adjustment_id = a.adjustment_id and p.created_document_id = $2))
       and ($3::text is null or a.account_id = $3 or exists (select 1 from adjustment_lines l
                                        where l.adjustment_id = a.adjustment_id and l.account_id = $3))
       and ($4::text is null or a.kind = $4)
       and ($6::date is null or a.posted_on >= $6) and ($7::date is null or a.posted_on <= $7)
     order by a.requested_at desc, a.adjustment_id desc limit $5`,
    [
      q.status ?? null,
      q.document_id ?? null,
      q.account_id ?? null,
      q.kind ?? null,
      q.limit,
      q.posted_from ?? null,
      q.posted_to ?? null,
    ],
  );
  return rows;
}
