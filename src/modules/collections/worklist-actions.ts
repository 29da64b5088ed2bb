/**
 * What a collector does from the worklist in one click: the account's next action (a reminder, the statement,
 * a call, a promise follow-up, an escalation to sales) and the same for many accounts at once, or assigning
 * them to a collector. Every action is idempotent per account and day: it is keyed by the account, the action
 * and the date (the e-mail's or task's unique key), so a second click, a retried request or a bulk action
 * run twice the same day sends nothing twice and answers with what was done the first time.
 */
import { z } from 'zod';
import { today } from '../../core/dates.ts';
import { AppError } from '../../core/errors.ts';
import { formatAmountText, Money } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import { assignCollector, getAccount } from '../accounts/index.ts';
import type { DocumentStore } from '../platform/index.ts';
import { accountStatement, sendStatement } from '../receivables/index.ts';
import { insertActivity, requireAccount, requireCollections } from './activities.ts';
import { sendAccountReminder } from './reminders.ts';
import { insertTask } from './tasks.ts';
import { type WorklistAction, worklistActionLabels, worklistActions } from './worklist-words.ts';

export { type WorklistAction, worklistActionLabels, worklistActions } from './worklist-words.ts';

/** The button for a worklist row's next action (null: nothing to do but wait). */
export function nextStepOf(nextAction: string): WorklistAction | null {
  if (nextAction.startsWith('call')) return 'call';
  if (nextAction === 'wait — promise to pay') return 'promise_follow_up';
  if (nextAction.startsWith('wait')) return null;
  if (nextAction === 'escalate to sales') return 'escalate';
  return 'reminder';
}

export const worklistActionInput = z.object({
  action: z.enum(worklistActions),
  /** The collector's own sentence, added to an e-mail or a task. */
  note: z.string().trim().max(2000).optional(),
});
export type WorklistActionInput = z.input<typeof worklistActionInput>;

export interface WorklistActionResult {
  account_id: string;
  action: WorklistAction;
  /** 'done' now; 'already_done' today (nothing sent twice); 'refused' with the reason. */
  outcome: 'done' | 'already_done' | 'refused';
  message: string;
  email_id?: string;
  task_id?: string;
}

const dayKey = (action: WorklistAction, asOf: string) => `worklist:${action}:${asOf}`;

async function taskOfToday(db: Db, accountId: string, key: string): Promise<string | undefined> {
  const { rows } = await db.query<{ task_id: string }>(
    `select t.task_id::text from tasks t join activities v on v.task_id = t.task_id and v.account_id = t.account_id
     where t.account_id = $1 and v.body like $2 limit 1`,
    [accountId, `%[${key}]`],
  );
  return rows[0]?.task_id;
}

/** Does one action for one account, at most once per account, action and day. */
export async function doWorklistAction(
  db: Db,
  store: DocumentStore,
  accountId: string,
  raw: WorklistActionInput,
): Promise<WorklistActionResult> {
  requireCollections(db, true);
  const input = worklistActionInput.parse(raw);
  const asOf = today();
  const key = dayKey(input.action, asOf);
  const result = (r: Omit<WorklistActionResult, 'account_id' | 'action'>): WorklistActionResult => ({
    account_id: accountId,
    action: input.action,
    ...r,
  });
  await requireAccount(db, accountId);
  const account = await getAccount(db, accountId);
  try {
    if (input.action === 'reminder' || input.action === 'promise_follow_up') {
      const sent = await sendAccountReminder(
        db,
        store,
        accountId,
        {
          note:
            input.note ??
            (input.action === 'promise_follow_up' ? await promiseNote(db, accountId) : undefined),
        },
        { idempotencyKey: key },
      );
      return result({
        outcome: sent.created ? 'done' : 'already_done',
        message: sent.created
          ? `E-mailed to ${sent.email.to_addresses.join(', ')}`
          : `Sent today already (${sent.email.subject})`,
        email_id: sent.email.email_id,
      });
    }
    if (input.action === 'statement') {
      const to = (account.billing_email ?? '').split(/[;,]\s*/).filter(Boolean);
      if (to.length === 0)
        return result({ outcome: 'refused', message: 'The account has no billing e-mail address.' });
      const sent = await sendStatement(db, store, accountId, { asOf, to, dedupeKey: `manual:${key}` });
      return result({
        outcome: sent.created ? 'done' : 'already_done',
        message: sent.created
          ? `Statement e-mailed to ${to.join(', ')}`
          : 'The statement was sent today already.',
        email_id: sent.email_id,
      });
    }
    // A call or an escalation is a task (the collector's own, or the sales team's), once a day.
    const earlier = await taskOfToday(db, accountId, key);
    if (earlier)
      return result({
        outcome: 'already_done',
        message: 'A task was opened today already.',
        task_id: earlier,
      });
    const statement = await accountStatement(db, { account_id: accountId, as_of: asOf });
    const owed = statement.statements
      .filter((st) => new Money(st.net_past_due).greaterThan(0))
      .map((st) => `${st.currency} ${formatAmountText(st.net_past_due, st.currency)}`)
      .join(', ');
    const call = input.action === 'call';
    const task = await db.tx(async (tx) => {
      const me = await tx.query<{ email: string }>('select email from users where user_id = $1', [
        db.actor.userId,
      ]);
      const t = await insertTask(tx, {
        accountId,
        country: account.country,
        kind: call ? 'call' : 'escalate_to_sales',
        queue: call ? 'collections' : 'sales',
        assignee: call ? (me.rows[0]?.email ?? account.collector) : account.sales_owner,
        title: `${call ? 'Call' : 'Escalated to sales'}: ${owed || 'nothing'} past due after credits`,
        body: `${account.name} (${accountId}): ${owed || 'nothing'} past due after the customer's credits.${input.note ? ` ${input.note}` : ''}`,
        openedOn: asOf,
        slaBusinessDays: call ? 1 : 5,
        source: 'manual',
      });
      await insertActivity(tx, {
        accountId,
        kind: 'task',
        body: `${worklistActionLabels[input.action]} from the worklist: task for ${t.assignee ?? `the ${t.queue} team`}, due ${t.due_date} [${key}]`,
        taskId: t.task_id,
      });
      return t;
    });
    return result({
      outcome: 'done',
      message: `Task for ${task.assignee ?? `the ${task.queue} team`}, due ${task.due_date}`,
      task_id: task.task_id,
    });
  } catch (err) {
    // A bulk action goes on with the other accounts: a refusal (no billing contact, nothing to remind of)
    // is this account's answer.
    if (err instanceof AppError && err.code === 'validation_failed')
      return result({ outcome: 'refused', message: err.message });
    throw err;
  }
}

async function promiseNote(db: Db, accountId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ amount: string; currency: string; promised_date: string }>(
    `select amount::text, currency, promised_date from promises
     where account_id = $1 and status = 'open' order by promised_date limit 1`,
    [accountId],
  );
  const p = rows[0];
  return p
    ? `We note your promise to pay ${p.currency} ${formatAmountText(p.amount, p.currency)} by ${p.promised_date}; thank you for confirming the payment once it is made.`
    : undefined;
}

export const bulkWorklistInput = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('reminder'),
    account_ids: z.array(z.string().trim().min(1).max(200)).min(1).max(500),
    note: z.string().trim().max(2000).optional(),
  }),
  z.object({
    action: z.literal('assign'),
    account_ids: z.array(z.string().trim().min(1).max(200)).min(1).max(500),
    /** The collector's e-mail; null unassigns. */
    collector: z.email().trim().toLowerCase().nullable(),
  }),
]);
export type BulkWorklistInput = z.input<typeof bulkWorklistInput>;

export interface BulkWorklistResult {
  action: 'reminder' | 'assign';
  done: number;
  already_done: number;
  refused: number;
  results: {
    account_id: string;
    outcome: WorklistActionResult['outcome'];
    message: string;
    email_id?: string | undefined;
  }[];
}

/** Reminders to, or a collector for, many worklist accounts; idempotent per account and day. */
export async function bulkWorklistAction(
  db: Db,
  store: DocumentStore,
  raw: BulkWorklistInput,
): Promise<BulkWorklistResult> {
  requireCollections(db, true);
  const input = bulkWorklistInput.parse(raw);
  const ids = [...new Set(input.account_ids)].sort();
  let results: BulkWorklistResult['results'];
  if (input.action === 'assign') {
    const r = await assignCollector(db, ids, input.collector);
    const to = input.collector ?? 'nobody';
    results = [
      ...r.changed.map((id) => ({ account_id: id, outcome: 'done' as const, message: `Assigned to ${to}` })),
      ...r.unchanged.map((id) => ({
        account_id: id,
        outcome: 'already_done' as const,
        message: `Already ${to}’s`,
      })),
      ...r.missing.map((id) => ({ account_id: id, outcome: 'refused' as const, message: 'No such account' })),
    ].sort((a, b) => a.account_id.localeCompare(b.account_id));
  } else {
    results = [];
    for (const id of ids) {
      const exists = await db.query('select 1 from accounts where account_id = $1', [id]);
      if (exists.rows.length === 0) {
        results.push({ account_id: id, outcome: 'refused', message: 'No such account' });
        continue;
      }
      const r = await doWorklistAction(db, store, id, { action: 'reminder', note: input.note });
      results.push({ account_id: id, outcome: r.outcome, message: r.message, email_id: r.email_id });
    }
  }
  const count = (o: WorklistActionResult['outcome']) => results.filter((r) => r.outcome === o).length;
  return {
    action: input.action,
    done: count('done'),
    already_done: count('already_done'),
    refused: count('refused'),
    results,
  };
}
