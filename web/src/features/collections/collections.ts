/** Collections as the server sends them: the worklist, an account's timeline and its promises to pay. */

import type { AccountStrategy, PromiseRow, TaskRow } from '../../../../src/modules/collections/index.ts';
import type { Role } from '../identity/user.ts';

// The server's own types (import type): one definition for the API and the web app.
export type {
  AccountOverview,
  AccountStrategy,
  BulkWorklistResult,
  PriorityFactors,
  Strategy,
  StrategyStep,
  TimelineEntry,
  Worklist,
  WorklistAction,
  WorklistActionResult,
  WorklistRow,
} from '../../../../src/modules/collections/index.ts';
export type PromiseToPay = PromiseRow;

// The worklist's buttons and what each does, in the server's words (a pure file imported as a value).
export {
  actionOfStep,
  worklistActionDoes,
  worklistActionLabels,
} from '../../../../src/modules/collections/worklist-words.ts';
export type PromiseStatus = PromiseRow['status'];
export type Task = TaskRow;
export type TaskKind = TaskRow['kind'];
export type TaskQueue = TaskRow['queue'];

/** Who records comments, calls and promises (the server's list). */
export const collectionsWriters: readonly Role[] = ['administrator', 'collector', 'manager', 'credit'];
/** Who reads the worklist and timelines (the server's list). */
export const collectionsReaders: readonly Role[] = [
  ...collectionsWriters,
  'rebate_analyst',
  'approver',
  'sales',
];

export const callOutcomes = [
  { value: 'reached', label: 'Reached' },
  { value: 'no_answer', label: 'No answer' },
  { value: 'left_message', label: 'Left a message' },
  { value: 'disputed', label: 'Disputed' },
  { value: 'promised', label: 'Promised to pay' },
] as const;
export type CallOutcome = (typeof callOutcomes)[number]['value'];

export const outcomeLabel = (outcome: string | null): string =>
  callOutcomes.find((o) => o.value === outcome)?.label ?? outcome ?? '';

export const promiseStatusColors: Record<PromiseStatus, string> = {
  open: 'blue',
  kept: 'teal',
  broken: 'red',
  cancelled: 'gray',
};

// ---------------------------------------------------------------------------------------------------------
// Collection strategies, tasks, Account 360 (the server's shapes)

/** Who edits strategies; collections readers see them. */
export const strategyEditors: readonly Role[] = ['administrator'];
/** Who reads the tasks queues (the collections desk and the teams tasks are routed to). */
export const taskReaders: readonly Role[] = ['administrator', 'manager', 'collector', 'credit', 'sales'];

export const stepKinds = [
  { value: 'courtesy_reminder', label: 'Courtesy reminder', action: 'email' },
  { value: 'past_due_notice', label: 'Past-due notice', action: 'email' },
  { value: 'call', label: 'Call task', action: 'task' },
  { value: 'escalate_to_sales', label: 'Escalation to sales', action: 'task' },
  { value: 'credit_hold_recommendation', label: 'Credit-hold recommendation', action: 'task' },
  { value: 'final_demand', label: 'Final demand', action: 'email' },
] as const;
export type StepKind = (typeof stepKinds)[number]['value'];
/** Tasks other modules open, not steps of a strategy. */
const otherTaskKinds: Record<string, string> = { renew_tax_certificate: 'New tax certificate' };
export const stepKindLabel = (kind: string | null): string =>
  stepKinds.find((k) => k.value === kind)?.label ?? (kind ? otherTaskKinds[kind] : undefined) ?? kind ?? '';
export const isEmailStep = (kind: StepKind): boolean =>
  stepKinds.find((k) => k.value === kind)?.action === 'email';

export const triggerKinds = [
  { value: 'days_past_due', label: 'Days past due' },
  { value: 'days_after_previous', label: 'Days after the previous step' },
  { value: 'end_of_month', label: 'End of month after the previous step' },
] as const;
export type TriggerKind = (typeof triggerKinds)[number]['value'];

/** What an e-mail template may use (amount_past_due is net of the customer's credits). */
export const templatePlaceholders = [
  'account_name',
  'account_id',
  'amount_past_due',
  'gross_past_due',
  'open_credits',
  'currency',
  'oldest_due_date',
  'days_past_due',
] as const;

export const matchedByLabels: Record<AccountStrategy['applies']['matched_by'], string> = {
  segment_and_country: 'its segment and country',
  segment: 'its segment',
  country: 'its country',
  default: 'no more specific strategy (the default)',
};

export const taskOutcomes = [
  { value: 'contacted', label: 'Contacted the customer' },
  { value: 'payment_promised', label: 'Payment promised' },
  { value: 'disputed', label: 'Disputed' },
  { value: 'credit_hold_placed', label: 'Credit hold placed' },
  { value: 'credit_hold_declined', label: 'Credit hold declined' },
  { value: 'no_action', label: 'No action needed' },
] as const;
export type TaskOutcome = (typeof taskOutcomes)[number]['value'];
export const taskOutcomeLabel = (o: string | null): string =>
  taskOutcomes.find((x) => x.value === o)?.label ?? o ?? '';

export const queueLabels: Record<TaskQueue, string> = {
  collections: 'Collections',
  sales: 'Sales',
  credit: 'Credit',
};

/** "due in 3 business days", "due today", "2 business days overdue". */
export function slaText(task: Pick<Task, 'status' | 'business_days_left' | 'overdue'>): string {
  if (task.status !== 'open' || task.business_days_left === null) return '';
  const n = task.business_days_left;
  if (task.overdue || n < 0) {
    const late = Math.max(-n, 1);
    return `${late} business day${late === 1 ? '' : 's'} overdue`;
  }
  if (n === 0) return 'due today';
  return `due in ${n} business day${n === 1 ? '' : 's'}`;
}
