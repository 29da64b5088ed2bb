/** Disputes as the desk reads them: the queues with their SLA, and one dispute with everything about it. */
import { type BusinessDate, today } from '../../core/dates.ts';
import { notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { type AdjustmentDetail, getAdjustment } from '../adjustments/index.ts';
import { businessDaysBetween } from '../calendar/index.ts';
import type { SlaState } from '../claims/index.ts';
import { hasAnyRole } from '../identity/index.ts';
import { type DocumentRow, listEntityDocuments } from '../platform/index.ts';
import { disputeOpeners, disputeTeamRoles, mayWork, requireDisputes } from './roles.ts';
import {
  activeStates,
  type DisputeCategory,
  type DisputeState,
  type DisputesQuery,
  type DisputeTeam,
  defaultReason,
  disputesQuery,
} from './schemas.ts';
import { disputeTimeline, type TimelineEntry } from './timeline.ts';

export interface Dispute {
  dispute_id: string;
  account_id: string;
  account_name: string | null;
  document_id: string;
  document_type: string | null;
  category: DisputeCategory;
  currency: string;
  amount: string;
  description: string;
  customer_reference: string | null;
  team: DisputeTeam;
  team_name: string;
  assignee: string | null;
  state: DisputeState;
  opened_on: string;
  routed_on: string;
  sla_business_days: number;
  due_date: string;
  closed_on: string | null;
  resolution: string | null;
  adjustment_id: string | null;
  opened_by: string;
  created_at: string;
  /** on_track, due_soon (due today or the next business day), breached; met or missed once closed. */
  sla_state: SlaState;
  /** Business days from today to the due date, negative once overdue (active disputes only). */
  business_days_left: number | null;
  /** Active and past its due date. */
  overdue: boolean;
  /** An adjustment was proposed and waits for its approvals. */
  awaiting_approval: boolean;
}

type Raw = Omit<Dispute, 'sla_state' | 'business_days_left' | 'overdue' | 'awaiting_approval'> & {
  country: string | null;
};

const columns = `d.dispute_id, d.account_id, a.name as account_name, a.country, d.document_id,
  doc.type as document_type, d.category, d.currency::text, d.amount::text, d.description, d.customer_reference,
  d.team, t.name as team_name, d.assignee, d.state, d.opened_on, d.routed_on, d.sla_business_days, d.due_date,
  d.closed_on, d.resolution, d.adjustment_id, d.opened_by,
  to_char(d.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created_at`;
const from = `from disputes d join dispute_teams t on t.team = d.team
  left join accounts a on a.account_id = d.account_id
  left join ar_documents doc on doc.account_id = d.account_id and doc.document_id = d.document_id`;

export function toDispute(r: Raw, on: BusinessDate): Dispute {
  const { country, ...rest } = r;
  const active = activeStates.includes(r.state);
  const left = active ? businessDaysBetween(country ?? '', on, r.due_date) : null;
  const overdue = active && r.due_date < on;
  const sla_state: SlaState = !active
    ? r.closed_on && r.closed_on <= r.due_date
      ? 'met'
      : 'missed'
    : overdue
      ? 'breached'
      : left !== null && left <= 1
        ? 'due_soon'
        : 'on_track';
  return {
    ...rest,
    sla_state,
    business_days_left: left,
    overdue,
    awaiting_approval: r.state === 'in_review' && r.adjustment_id !== null,
  };
}

/** One dispute as a row (under the caller's row security), or undefined. */
export async function readDispute(db: Db, disputeId: string): Promise<Dispute | undefined> {
  const { rows } = await db.query<Raw>(`select ${columns} ${from} where d.dispute_id = $1`, [disputeId]);
  return rows[0] ? toDispute(rows[0], today()) : undefined;
}

async function actorEmail(db: Db): Promise<string | null> {
  if (!db.actor.userId) return null;
  const { rows } = await db.query<{ email: string }>('select email from users where user_id = $1', [
    db.actor.userId,
  ]);
  return rows[0]?.email.toLowerCase() ?? null;
}

export interface TeamCount {
  team: DisputeTeam;
  open: number;
  in_review: number;
  overdue: number;
}

/** Disputes, active first, overdue first, then by due date; with the active ones counted per team. */
export async function listDisputes(
  db: Db,
  raw: DisputesQuery = {},
): Promise<{ as_of: string; items: Dispute[]; counts: TeamCount[] }> {
  requireDisputes(db);
  const q = disputesQuery.parse(raw);
  const on = today();
  const assignee = q.assignee === 'me' ? ((await actorEmail(db)) ?? '') : (q.assignee ?? null);
  const states =
    q.state === 'all'
      ? null
      : q.state === 'active'
        ? ['open', 'in_review']
        : q.state === 'closed'
          ? ['resolved_adjusted', 'rejected', 'withdrawn']
          : [q.state];
  const { rows } = await db.query<Raw>(
    `select ${columns} ${from}
     where ($1::text[] is null or d.state = any($1))
       and ($2::text is null or d.team = $2)
       and ($3::text is null or d.category = $3)
       and ($4::text is null or d.account_id = $4)
       and ($5::text is null or d.document_id = $5)
       and ($6::text is null or lower(d.assignee) = $6)
       and ($7::boolean is null or (d.state in ('open', 'in_review') and d.due_date < $8::date) = $7)
     order by d.state in ('open', 'in_review') desc, (d.state in ('open', 'in_review') and d.due_date < $8::date) desc,
       d.due_date, d.dispute_id
     limit $9`,
    [
      states,
      q.team ?? null,
      q.category ?? null,
      q.account_id ?? null,
      q.document_id ?? null,
      assignee,
      q.overdue === undefined ? null : q.overdue === 'true',
      on,
      q.limit,
    ],
  );
  const counts = await db.query<TeamCount>(
    `select t.team,
       count(d.dispute_id) filter (where d.state = 'open')::int as open,
       count(d.dispute_id) filter (where d.state = 'in_review')::int as in_review,
       count(d.dispute_id) filter (where d.due_date < $1::date)::int as overdue
     from dispute_teams t
     left join disputes d on d.team = t.team and d.state in ('open', 'in_review')
     group by t.team order by t.team`,
    [on],
  );
  return { as_of: on, items: rows.map((r) => toDispute(r, on)), counts: counts.rows };
}

export interface DisputeDetail extends Dispute {
  /** The disputed document as it stands today. */
  document: {
    document_id: string;
    type: string;
    document_date: string;
    due_date: string;
    amount: string;
    open_amount: string;
    reference: string | null;
    po_number: string | null;
    days_past_due: number;
  } | null;
  /** The adjustment proposed (pending) or that resolved it (approved). */
  adjustment:
    | (Pick<
        AdjustmentDetail,
        | 'adjustment_id'
        | 'kind'
        | 'amount'
        | 'corrected_amount'
        | 'currency'
        | 'reason_code'
        | 'reason_description'
        | 'status'
        | 'requested_by_name'
        | 'requested_at'
        | 'posted_on'
        | 'decisions'
        | 'postings'
        | 'cannot_decide'
      > & { approvals_needed: number })
    | null;
  documents: DocumentRow[];
  /** Every change, comment and document, oldest first. */
  timeline: TimelineEntry[];
  /** The reason code a proposal takes unless another is chosen. */
  default_reason_code: string;
  /** What the caller may do now. */
  may: {
    assign: boolean;
    route: boolean;
    comment: boolean;
    propose: boolean;
    reject: boolean;
    withdraw: boolean;
  };
}

/** One dispute with its invoice, adjustment, documents and timeline; 404 when the caller cannot see it. */
export async function getDispute(db: Db, disputeId: string): Promise<DisputeDetail> {
  requireDisputes(db);
  return db.tx(async (tx) => {
    const d = await readDispute(tx, disputeId);
    if (!d) throw notFound(`The dispute ${disputeId}`);
    const { rows: docs } = await tx.query<NonNullable<DisputeDetail['document']>>(
      `select x.document_id, x.type, x.document_date, x.due_date, x.amount::text,
         (x.amount - coalesce((select sum(e.amount) from ar_application_entries e
           where e.account_id = x.account_id and e.document_id = x.document_id), 0))::text as open_amount,
         x.reference, x.po_number, ($3::date - x.due_date) as days_past_due
       from ar_documents x where x.account_id = $1 and x.document_id = $2`,
      [d.account_id, d.document_id, today()],
    );
    let adjustment: DisputeDetail['adjustment'] = null;
    if (d.adjustment_id) {
      const a = await getAdjustment(tx, d.adjustment_id);
      adjustment = {
        adjustment_id: a.adjustment_id,
        kind: a.kind,
        amount: a.amount,
        corrected_amount: a.corrected_amount,
        currency: a.currency,
        reason_code: a.reason_code,
        reason_description: a.reason_description,
        status: a.status,
        requested_by_name: a.requested_by_name,
        requested_at: a.requested_at,
        posted_on: a.posted_on,
        decisions: a.decisions,
        postings: a.postings,
        cannot_decide: a.cannot_decide,
        approvals_needed: a.request?.approvals_needed ?? 1,
      };
    }
    const roles = tx.actor.roles;
    const active = activeStates.includes(d.state);
    const works = mayWork(roles, d.team);
    return {
      ...d,
      document: docs[0] ?? null,
      adjustment,
      documents: await listEntityDocuments(tx, 'dispute', disputeId),
      timeline: await disputeTimeline(tx, disputeId),
      default_reason_code: defaultReason[d.category],
      may: {
        assign: active && works,
        route: active && !d.awaiting_approval && (works || hasAnyRole(roles, disputeOpeners)),
        comment: hasAnyRole(roles, [...disputeOpeners, ...disputeTeamRoles]),
        propose: active && !d.awaiting_approval && works,
        reject: active && !d.awaiting_approval && works,
        withdraw: active && !d.awaiting_approval && (works || hasAnyRole(roles, disputeOpeners)),
      },
    };
  });
}
