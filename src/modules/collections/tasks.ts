/**
 * Tasks routed to a team's queue or a person: calls for the collector, payment delays escalated to the
 * account's sales owner, credit-hold recommendations for the credit team. Strategies open them (a task step)
 * and collectors open them by hand (escalate from the account page). Each carries an SLA in business days
 * of the account's country (weekends and public holidays off); an open task past its due date is overdue.
 * Completing one records its outcome on the task and in the account's timeline.
 */
import { z } from 'zod';
import { today } from '../../core/dates.ts';
import { AppError, notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { addBusinessDays, businessDaysBetween } from '../calendar/index.ts';
import { isPartner, requireRole } from '../identity/index.ts';
import { recordAudit } from '../platform/index.ts';
import { collectionsWriters, insertActivity, requireAccount, requireItems } from './activities.ts';
import { defaultSlaBusinessDays, stepKindLabels, type TaskKind, taskStepKinds } from './strategy-schemas.ts';

export const taskQueues = ['collections', 'sales', 'credit'] as const;
export type TaskQueue = (typeof taskQueues)[number];

/** The role whose members work each queue. */
export const queueRoles: Record<TaskQueue, string> = {
  collections: 'collector',
  sales: 'sales',
  credit: 'credit',
};

export const taskOutcomes = [
  'contacted',
  'payment_promised',
  'disputed',
  'credit_hold_placed',
  'credit_hold_declined',
  'no_action',
] as const;
export type TaskOutcome = (typeof taskOutcomes)[number];
export const taskOutcomeLabels: Record<TaskOutcome, string> = {
  contacted: 'contacted the customer',
  payment_promised: 'payment promised',
  disputed: 'disputed',
  credit_hold_placed: 'credit hold placed',
  credit_hold_declined: 'credit hold declined',
  no_action: 'no action needed',
};

/** Who reads the queues: the collections desk and the teams tasks are routed to. */
export const taskReaders = ['administrator', 'manager', 'collector', 'credit', 'sales'] as const;

/** Tasks other modules open besides the strategy steps: a new tax-exempt certificate to ask for. */
export type TaskRowKind = TaskKind | 'renew_tax_certificate';

export interface TaskRow {
  task_id: string;
  account_id: string;
  account_name: string | null;
  kind: TaskRowKind;
  queue: TaskQueue;
  assignee: string | null;
  title: string;
  body: string;
  document_ids: string[];
  opened_on: string;
  sla_business_days: number;
  due_date: string;
  status: 'open' | 'done' | 'cancelled';
  outcome: TaskOutcome | null;
  outcome_note: string | null;
  completed_at: string | null;
  completed_by: string | null;
  source: 'strategy' | 'manual' | 'tax_certificate';
  strategy_id: string | null;
  created_at: string;
  created_by: string | null;
  /** Open and past its due date. */
  overdue: boolean;
  /** Business days from today to the due date: negative once overdue (open tasks only). */
  business_days_left: number | null;
}

const columns = `t.task_id::text, t.account_id, a.name as account_name, a.country, t.kind, t.queue, t.assignee,
  t.title, t.body, t.document_ids, t.opened_on, t.sla_business_days, t.due_date, t.status, t.outcome,
  t.outcome_note, t.completed_at, t.completed_by, t.source, t.strategy_id, t.created_at, t.created_by`;

type Raw = Omit<TaskRow, 'overdue' | 'business_days_left' | 'completed_at' | 'created_at'> & {
  country: string | null;
  completed_at: Date | null;
  created_at: Date;
};

function toRow(r: Raw, on: string): TaskRow {
  const { country, ...rest } = r;
  const open = r.status === 'open';
  return {
    ...rest,
    completed_at: r.completed_at ? r.completed_at.toISOString() : null,
    created_at: r.created_at.toISOString(),
    overdue: open && r.due_date < on,
    business_days_left: open ? businessDaysBetween(country ?? 'US', on, r.due_date) : null,
  };
}

async function readTask(db: Db, taskId: string): Promise<TaskRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(taskId)) return undefined;
  const { rows } = await db.query<Raw>(
    `select ${columns} from tasks t left join accounts a on a.account_id = t.account_id where t.task_id = $1`,
    [taskId],
  );
  return rows[0] ? toRow(rows[0], today()) : undefined;
}

/** Writes a task (the caller checked the account and permissions); the due date is the SLA in business days. */
export async function insertTask(
  db: Db,
  t: {
    accountId: string;
    country: string;
    kind: TaskRowKind;
    queue: TaskQueue;
    assignee: string | null;
    title: string;
    body: string;
    documentIds?: readonly string[];
    openedOn: string;
    slaBusinessDays: number;
    source: 'strategy' | 'manual' | 'tax_certificate';
    strategy?: { strategyId: string; stepId: string; cycle: string };
  },
): Promise<TaskRow> {
  const due = addBusinessDays(t.country, t.openedOn, t.slaBusinessDays);
  const { rows } = await db.query<{ task_id: string }>(
    `insert into tasks (account_id, kind, queue, assignee, title, body, document_ids, opened_on,
       sla_business_days, due_date, source, strategy_id, step_id, cycle)
     values ($1, $2, $3, $4, $5, $6, $7::text[], $8, $9, $10, $11, $12, $13, $14)
     returning task_id::text`,
    [
      t.accountId,
      t.kind,
      t.queue,
      t.assignee,
      t.title,
      t.body,
      t.documentIds ?? [],
      t.openedOn,
      t.slaBusinessDays,
      due,
      t.source,
      t.strategy?.strategyId ?? null,
      t.strategy?.stepId ?? null,
      t.strategy?.cycle ?? null,
    ],
  );
  const task = (await readTask(db, rows[0]!.task_id))!;
  await recordAudit(db, {
    entityType: 'task',
    entityId: task.task_id,
    accountId: t.accountId,
    action: 'created',
    after: task,
  });
  return task;
}

export const createTaskInput = z.object({
  kind: z.enum(taskStepKinds),
  note: z.string().trim().max(10_000).default(''),
  document_ids: z.array(z.string().trim().min(1).max(200)).max(500).default([]),
  /** Default: the collector for a call, the account's sales owner for an escalation, nobody for credit. */
  assignee: z.email().trim().toLowerCase().nullish(),
  sla_business_days: z.number().int().min(1).max(60).optional(),
});
export type CreateTaskInput = z.input<typeof createTaskInput>;

const defaultQueue: Record<TaskKind, TaskQueue> = {
  call: 'collections',
  escalate_to_sales: 'sales',
  credit_hold_recommendation: 'credit',
};

/**
 * Opens a task by hand, e.g. escalates a payment delay to the sales owner. One open task of a kind per
 * account: asking again while one is open is a conflict naming it (a double click opens nothing twice).
 */
export async function createTask(db: Db, accountId: string, raw: CreateTaskInput): Promise<TaskRow> {
  if (isPartner(db.actor.roles)) throw new AppError('forbidden', 'Tasks are the company’s own work.');
  requireRole(db.actor, collectionsWriters);
  const input = createTaskInput.parse(raw);
  const ids = [...new Set(input.document_ids)];
  return db.tx(async (tx) => {
    await requireAccount(tx, accountId);
    await requireItems(tx, accountId, ids);
    const { rows } = await tx.query<{
      name: string;
      country: string;
      currency: string;
      collector: string | null;
      sales_owner: string | null;
      open_task: string | null;
      open_due: string | null;
    }>(
      `select a.name, a.country, a.currency, a.collector, a.sales_owner,
         t.task_id::text as open_task, t.due_date as open_due
       from accounts a
       left join lateral (select task_id, due_date from tasks
         where account_id = a.account_id and kind = $2 and status = 'open' order by created_at limit 1) t on true
       where a.account_id = $1
       for update of a`,
      [accountId, input.kind],
    );
    const a = rows[0]!;
    if (a.open_task)
      throw new AppError(
        'conflict',
        `An open “${stepKindLabels[input.kind]}” task exists for ${accountId} already (due ${a.open_due}).`,
        { details: { task_id: a.open_task } },
      );
    const assignee =
      input.assignee !== undefined
        ? input.assignee
        : input.kind === 'call'
          ? a.collector
          : input.kind === 'escalate_to_sales'
            ? a.sales_owner
            : null;
    if (input.kind === 'escalate_to_sales' && !assignee)
      throw new AppError(
        'validation_failed',
        `${accountId} has no sales owner to escalate to: set one on the account, or name the assignee.`,
        { issues: [{ field: 'assignee', message: 'the account has no sales owner' }] },
      );
    const label = stepKindLabels[input.kind].replace(/^./, (c) => c.toUpperCase());
    const items = ids.length > 0 ? ` (${ids.join(', ')})` : '';
    const task = await insertTask(tx, {
      accountId,
      country: a.country,
      kind: input.kind,
      queue: defaultQueue[input.kind],
      assignee: assignee ?? null,
      title: `${label}: ${a.name}${items}`,
      body: input.note,
      documentIds: ids,
      openedOn: today(),
      slaBusinessDays: input.sla_business_days ?? defaultSlaBusinessDays[input.kind],
      source: 'manual',
    });
    await insertActivity(tx, {
      accountId,
      kind: 'task',
      body: `${label}: task for ${task.assignee ?? `the ${task.queue} team`}, due ${task.due_date}${input.note ? `: ${input.note}` : ''}`,
      documentId: ids.length === 1 ? ids[0] : null,
      taskId: task.task_id,
    });
    return task;
  });
}

export const tasksQuery = z.object({
  queue: z.enum(taskQueues).optional(),
  status: z.enum(['open', 'done', 'cancelled', 'all']).default('open'),
  /** `me` = tasks assigned to me or in the queues of my roles. */
  for: z.enum(['me', 'all']).default('all'),
  assignee: z.email().trim().toLowerCase().optional(),
  account_id: z.string().trim().min(1).max(200).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type TasksQuery = z.input<typeof tasksQuery>;

async function actorEmail(db: Db): Promise<string | null> {
  if (!db.actor.userId) return null;
  const { rows } = await db.query<{ email: string }>('select email from users where user_id = $1', [
    db.actor.userId,
  ]);
  return rows[0]?.email ?? null;
}

function requireTaskReader(db: Db): void {
  if (isPartner(db.actor.roles)) throw new AppError('forbidden', 'Tasks are the company’s own work.');
  requireRole(db.actor, taskReaders);
}

/** Tasks, overdue first then by due date; `for=me` narrows to what is routed to the caller. */
export async function listTasks(
  db: Db,
  raw: TasksQuery = {},
): Promise<{ as_of: string; items: TaskRow[]; counts: { open: number; overdue: number } }> {
  requireTaskReader(db);
  const q = tasksQuery.parse(raw);
  const on = today();
  const me = q.for === 'me' ? await actorEmail(db) : null;
  const myQueues = taskQueues.filter((queue) => db.actor.roles.includes(queueRoles[queue]));
  const { rows } = await db.query<Raw>(
    `select ${columns} from tasks t left join accounts a on a.account_id = t.account_id
     where ($1::text is null or t.queue = $1)
       and ($2::text = 'all' or t.status = $2)
       and ($3::text is null or lower(t.assignee) = $3)
       and ($4::text is null or t.account_id = $4)
       and ($5::boolean is null or (t.status = 'open' and t.due_date < $6::date) = $5)
       and (not $7::boolean or lower(t.assignee) = $8 or t.queue = any($9::text[]))
     order by (t.status = 'open') desc, (t.status = 'open' and t.due_date < $6::date) desc, t.due_date,
       t.created_at
     limit $10`,
    [
      q.queue ?? null,
      q.status,
      q.assignee ?? null,
      q.account_id ?? null,
      q.overdue === undefined ? null : q.overdue === 'true',
      on,
      q.for === 'me',
      me ?? '',
      myQueues,
      q.limit,
    ],
  );
  const items = rows.map((r) => toRow(r, on));
  return {
    as_of: on,
    items,
    counts: {
      open: items.filter((t) => t.status === 'open').length,
      overdue: items.filter((t) => t.overdue).length,
    },
  };
}

export const completeTaskInput = z.object({
  outcome: z.enum(taskOutcomes),
  note: z.string().trim().max(10_000).default(''),
});
export type CompleteTaskInput = z.input<typeof completeTaskInput>;

/**
 * Completes an open task with its outcome: the assignee, anyone working its queue, a manager or an
 * administrator may. The outcome goes into the account's timeline.
 */
export async function completeTask(db: Db, taskId: string, raw: CompleteTaskInput): Promise<TaskRow> {
  requireTaskReader(db);
  const input = completeTaskInput.parse(raw);
  return db.tx(async (tx) => {
    const before = await readTask(tx, taskId);
    if (!before) throw notFound('The task');
    const me = await actorEmail(tx);
    const may =
      db.actor.roles.some((r) => r === 'administrator' || r === 'manager' || r === 'system') ||
      db.actor.roles.includes(queueRoles[before.queue]) ||
      (me !== null && before.assignee?.toLowerCase() === me.toLowerCase());
    if (!may)
      throw new AppError(
        'forbidden',
        `This task is for ${before.assignee ?? `the ${before.queue} team`}; only they (or a manager) complete it.`,
      );
    const { rowCount } = await tx.query(
      `update tasks set status = 'done', outcome = $2, outcome_note = $3, completed_at = now(), completed_by = $4
       where task_id = $1 and status = 'open'`,
      [taskId, input.outcome, input.note, db.actor.name],
    );
    if (!rowCount) throw new AppError('conflict', `This task is ${before.status} already.`);
    const after = (await readTask(tx, taskId))!;
    const late = before.overdue ? ` (${-(before.business_days_left ?? 0)} business days late)` : '';
    await insertActivity(tx, {
      accountId: before.account_id,
      kind: 'task',
      body: `${before.title} — done: ${taskOutcomeLabels[input.outcome]}${late}${input.note ? `. ${input.note}` : ''}`,
      documentId: before.document_ids.length === 1 ? before.document_ids[0] : null,
      taskId,
    });
    await recordAudit(tx, {
      entityType: 'task',
      entityId: taskId,
      accountId: before.account_id,
      action: 'completed',
      before,
      after,
    });
    return after;
  });
}
