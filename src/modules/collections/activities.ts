/**
 * The activity trail of an account and its items (the ERP comment trail): comments, calls with their
 * outcome, promises and status changes, merged on read with the e-mails sent to the account and the audit
 * events on its items into one timeline, newest first.
 */
import { z } from 'zod';
import { AppError, notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { isPartner, requireRole } from '../identity/index.ts';

/** Internal roles that work collections (write activities and promises, read the worklist). */
export const collectionsWriters = ['administrator', 'collector', 'manager', 'credit'] as const;
/** Internal roles that read timelines and promises (sales: payment delays are escalated to them). */
export const collectionsReaders = [...collectionsWriters, 'rebate_analyst', 'approver', 'sales'] as const;

/** Collections is the company's own desk: partners get 403 before any data is read. */
export function requireCollections(db: Db, write: boolean): void {
  if (isPartner(db.actor.roles))
    throw new AppError('forbidden', 'Collections is only for the company’s own users.');
  requireRole(db.actor, write ? collectionsWriters : collectionsReaders);
}

export const activityKinds = ['comment', 'call', 'email', 'promise', 'status', 'document', 'task'] as const;
export type ActivityKind = (typeof activityKinds)[number];
export const callOutcomes = ['reached', 'no_answer', 'left_message', 'disputed', 'promised'] as const;
export type CallOutcome = (typeof callOutcomes)[number];

export interface ActivityRow {
  activity_id: string;
  account_id: string;
  document_id: string | null;
  kind: ActivityKind;
  body: string;
  outcome: CallOutcome | null;
  promise_id: string | null;
  task_id: string | null;
  occurred_at: string;
  actor: string;
}

const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));

/** 404 unless the caller can see the account. */
export async function requireAccount(db: Db, accountId: string): Promise<{ currency: string }> {
  const { rows } = await db.query<{ currency: string }>(
    'select currency from accounts where account_id = $1',
    [accountId],
  );
  if (!rows[0]) throw notFound(`The account ${accountId}`);
  return rows[0];
}

/** 400 unless every id is a document or payment of the account. */
export async function requireItems(db: Db, accountId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const { rows } = await db.query<{ id: string }>(
    `select document_id as id from ar_documents where account_id = $1 and document_id = any($2::text[])
     union select payment_id from ar_payments where account_id = $1 and payment_id = any($2::text[])`,
    [accountId, ids],
  );
  const found = new Set(rows.map((r) => r.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0)
    throw new AppError(
      'validation_failed',
      `Not an item of the account ${accountId}: ${missing.join(', ')}.`,
      {
        issues: [{ field: 'document_id', message: `unknown item ${missing.join(', ')}` }],
      },
    );
}

export const activityInput = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('comment'),
    body: z.string().trim().min(1).max(10_000),
    document_id: z.string().trim().min(1).max(200).optional(),
    occurred_at: z.iso.datetime({ offset: true }).optional(),
  }),
  z.object({
    kind: z.literal('call'),
    outcome: z.enum(callOutcomes),
    body: z.string().trim().max(10_000).default(''),
    document_id: z.string().trim().min(1).max(200).optional(),
    occurred_at: z.iso.datetime({ offset: true }).optional(),
  }),
]);
export type ActivityInput = z.input<typeof activityInput>;

/** Writes one activity (any kind); the caller has checked permissions and the account. */
export async function insertActivity(
  db: Db,
  a: {
    accountId: string;
    kind: ActivityKind;
    body: string;
    documentId?: string | null | undefined;
    outcome?: CallOutcome | null | undefined;
    promiseId?: string | null | undefined;
    taskId?: string | null | undefined;
    occurredAt?: string | undefined;
  },
): Promise<ActivityRow> {
  const { rows } = await db.query<ActivityRow>(
    `insert into activities (account_id, document_id, kind, body, outcome, promise_id, occurred_at, actor, actor_id,
       task_id)
     values ($1, $2, $3, $4, $5, $6, coalesce($7::timestamptz, clock_timestamp()), $8, $9, $10)
     returning activity_id::text, account_id, document_id, kind, body, outcome, promise_id::text, task_id::text,
       occurred_at, actor`,
    [
      a.accountId,
      a.documentId ?? null,
      a.kind,
      a.body,
      a.outcome ?? null,
      a.promiseId ?? null,
      a.occurredAt ?? null,
      db.actor.name,
      db.actor.userId,
      a.taskId ?? null,
    ],
  );
  const r = rows[0]!;
  return { ...r, occurred_at: iso(r.occurred_at) };
}

/** Records a comment or a call (with its outcome) on the account or one of its items. */
export async function addActivity(db: Db, accountId: string, raw: ActivityInput): Promise<ActivityRow> {
  requireCollections(db, true);
  const input = activityInput.parse(raw);
  if (input.occurred_at && Date.parse(input.occurred_at) > Date.now() + 60_000)
    throw new AppError('validation_failed', 'An activity cannot happen in the future.', {
      issues: [{ field: 'occurred_at', message: 'in the future' }],
    });
  return db.tx(async (tx) => {
    await requireAccount(tx, accountId);
    if (input.document_id) await requireItems(tx, accountId, [input.document_id]);
    return insertActivity(tx, {
      accountId,
      kind: input.kind,
      body: input.body,
      documentId: input.document_id,
      outcome: input.kind === 'call' ? input.outcome : null,
      occurredAt: input.occurred_at,
    });
  });
}

export function addComment(
  db: Db,
  accountId: string,
  body: string,
  opts: { document_id?: string; occurred_at?: string } = {},
): Promise<ActivityRow> {
  return addActivity(db, accountId, { kind: 'comment', body, ...opts });
}

export function logCall(
  db: Db,
  accountId: string,
  outcome: CallOutcome,
  body = '',
  opts: { document_id?: string; occurred_at?: string } = {},
): Promise<ActivityRow> {
  return addActivity(db, accountId, { kind: 'call', outcome, body, ...opts });
}

export interface TimelineEntry {
  /**
   * Where the entry comes from: the activity trail, the e-mails to the account, the audit trail, or the cash
   * applied to it from bank credits (kind invoice, deduction or on_account; outcome is the rule).
   */
  source: 'activity' | 'email' | 'audit' | 'cash';
  id: string;
  /** Activity kind, e-mail kind (statement, message, …) or audit action. */
  kind: string;
  occurred_at: string;
  document_id: string | null;
  actor: string | null;
  /** E-mail subject; null otherwise. */
  subject: string | null;
  body: string;
  outcome: string | null;
  /** E-mail delivery state; null otherwise. */
  status: string | null;
  promise_id: string | null;
  task_id: string | null;
}

export const timelineQuery = z.object({
  document_id: z.string().trim().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type TimelineQuery = z.input<typeof timelineQuery>;

/**
 * The account's timeline (or one item's, with `document_id`), newest first: its activities, the e-mails
 * sent to it (an item's timeline: the e-mails about the item, like a reminder or an invoice copy), the
 * audit events on its items, and the cash applied to it from bank credits ("INV-1 paid by BR000123 on …").
 */
export async function listTimeline(
  db: Db,
  accountId: string,
  raw: TimelineQuery = {},
): Promise<{ account_id: string; entries: TimelineEntry[] }> {
  requireCollections(db, false);
  const q = timelineQuery.parse(raw);
  return db.tx(async (tx) => {
    await requireAccount(tx, accountId);
    const { rows } = await tx.query<TimelineEntry & { occurred_at: Date }>(
      `select * from (
         select 'activity' as source, a.activity_id::text as id, a.kind, a.occurred_at, a.document_id,
           a.actor, null::text as subject, a.body, a.outcome, null::text as status, a.promise_id::text as promise_id,
           a.task_id::text as task_id
         from activities a where a.account_id = $1 and ($2::text is null or a.document_id = $2)
         union all
         select 'email', e.email_id::text, e.kind, coalesce(e.sent_at, e.created_at), e.document_id,
           coalesce(u.name, e.created_by), e.subject, e.body, null, e.status, null, null
         from emails e left join users u on u.user_id::text = e.created_by
         where e.account_id = $1 and ($2::text is null or e.document_id = $2)
         union all
         select 'audit', v.event_id::text, v.action, v.occurred_at, v.entity_id, v.actor_name, null,
           coalesce(v.after, v.before)::text, null, null, null, null
         from audit_events v where v.account_id = $1 and v.entity_type in ('ar_document', 'ar_payment')
           and ($2::text is null or v.entity_id = $2)
         union all
         select 'cash', c.payment_ref || '/' || c.seq, c.kind, c.created_at, c.document_id,
           coalesce(u.name, c.created_by, 'cash application'), null,
           case c.kind
             when 'invoice' then c.document_id || ' paid by ' || c.payment_ref || ' on '
               || to_char(c.applied_date, 'YYYY-MM-DD') || ': ' || c.amount || ' ' || c.currency
             when 'deduction' then 'Deduction ' || coalesce(c.deduction_id || ' ', '') || 'of ' || c.amount || ' '
               || c.currency || ' on ' || coalesce(c.document_id, '') || ' taken from ' || c.payment_ref
               || ' on ' || to_char(c.applied_date, 'YYYY-MM-DD') || coalesce(' (reason ' || c.reason_code || ')', '')
             else c.amount || ' ' || c.currency || ' of ' || c.payment_ref || ' put on account on '
               || to_char(c.applied_date, 'YYYY-MM-DD')
           end || case when c.run_id is null then ' · applied by hand'
             else ' · cash run ' || c.run_id || ', ' || c.rule end,
           c.rule, null, null, null
         from cash_applications c left join users u on u.user_id::text = c.created_by
         where c.account_id = $1 and c.reversed_at is null and ($2::text is null or c.document_id = $2)
       ) t
       order by t.occurred_at desc, t.source, t.id desc
       limit $3`,
      [accountId, q.document_id ?? null, q.limit],
    );
    return { account_id: accountId, entries: rows.map((r) => ({ ...r, occurred_at: iso(r.occurred_at) })) };
  });
}
