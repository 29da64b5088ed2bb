/** Collections as the server sends them: the worklist, an account's timeline and its promises to pay. */

import type { Role } from '../identity/user';

/** Who records comments, calls and promises (the server's list). */
export const collectionsWriters: readonly Role[] = ['administrator', 'collector', 'manager', 'credit'];
/** Who reads the worklist and timelines (the server's list). */
export const collectionsReaders: readonly Role[] = [
  ...collectionsWriters,
  'rebate_analyst',
  'approver',
  'sales',
];

export interface WorklistRow {
  account_id: string;
  name: string;
  collector: string | null;
  currency: string;
  past_due_amount: string;
  /** The part of the past-due amount in dispute (not chased until the dispute ends). */
  disputed_amount: string;
  past_due_items: number;
  oldest_days_past_due: number;
  broken_promises: number;
  open_promise: { promise_id: string; amount: string; promised_date: string } | null;
  last_activity_at: string | null;
  priority: string;
  next_action: string;
}

export interface Worklist {
  as_of: string;
  collector: string | null;
  rows: WorklistRow[];
}

export interface TimelineEntry {
  source: 'activity' | 'email' | 'audit' | 'cash';
  id: string;
  kind: string;
  occurred_at: string;
  document_id: string | null;
  actor: string | null;
  subject: string | null;
  body: string;
  outcome: string | null;
  status: string | null;
  promise_id: string | null;
  task_id: string | null;
}

export type PromiseStatus = 'open' | 'kept' | 'broken' | 'cancelled';

export interface PromiseToPay {
  promise_id: string;
  account_id: string;
  amount: string;
  currency: string;
  made_on: string;
  promised_date: string;
  document_ids: string[];
  status: PromiseStatus;
  covered_amount: string | null;
  decided_at: string | null;
  note: string;
  created_at: string;
  created_by: string | null;
}

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

export interface StrategyStep {
  step_id: string;
  step_no: number;
  kind: StepKind;
  action: 'email' | 'task';
  trigger: TriggerKind;
  days: number | null;
  subject: string | null;
  body: string | null;
  sla_business_days: number | null;
  when: string;
}

export interface Strategy {
  strategy_id: string;
  name: string;
  description: string;
  segment: string | null;
  country: string | null;
  is_default: boolean;
  accounts: number;
  steps: StrategyStep[];
  updated_at: string;
}

export interface AccountStrategy {
  account_id: string;
  as_of: string;
  applies: {
    strategy_id: string;
    name: string;
    segment: string | null;
    country: string | null;
    matched_by: 'segment_and_country' | 'segment' | 'country' | 'default';
  };
  cycle: {
    cycle: string;
    days_past_due: number;
    strategy_id: string;
    strategy_name: string;
    done: { step_no: number | null; kind: string | null; label: string | null; run_date: string }[];
    next: { step_no: number; kind: StepKind; action: 'email' | 'task'; when: string; due_on: string } | null;
    /** Everything past due is in dispute: the next step waits until a dispute ends. */
    all_in_dispute: boolean;
  } | null;
}

export const matchedByLabels: Record<AccountStrategy['applies']['matched_by'], string> = {
  segment_and_country: 'its segment and country',
  segment: 'its segment',
  country: 'its country',
  default: 'no more specific strategy (the default)',
};

export type TaskQueue = 'collections' | 'sales' | 'credit';
export type TaskKind = 'call' | 'escalate_to_sales' | 'credit_hold_recommendation';

export interface Task {
  task_id: string;
  account_id: string;
  account_name: string | null;
  kind: TaskKind;
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
  source: 'strategy' | 'manual';
  strategy_id: string | null;
  created_at: string;
  created_by: string | null;
  overdue: boolean;
  business_days_left: number | null;
}

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

export interface AccountOverview {
  as_of: string;
  account: {
    account_id: string;
    name: string;
    country: string;
    currency: string;
    payment_terms_days: number;
    credit_limit: string | null;
    segment: string | null;
    parent_account_id: string | null;
  };
  contacts: { role: string; email: string }[];
  aging: Record<string, string>[];
  strategy: AccountStrategy;
  statements: {
    email_id: string;
    subject: string;
    status: string;
    to: string[];
    sent_at: string | null;
    created_at: string;
    attachments: string[];
  }[];
  promises: { open: number; broken: number; kept: number };
  tasks: { open: number; overdue: number };
  claims: {
    claim_id: string;
    account_id: string;
    program_id: string;
    program_name: string | null;
    submitted_date: string;
    currency: string;
    status: string;
    claimed_amount: string;
    approved_amount: string | null;
  }[];
  credit_memos: {
    document_id: string;
    account_id: string;
    document_date: string;
    currency: string;
    amount: string;
    open_amount: string;
    reference: string | null;
    claim_id: string | null;
  }[];
}
