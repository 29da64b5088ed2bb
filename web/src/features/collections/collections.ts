/** Collections as the server sends them: the worklist, an account's timeline and its promises to pay. */

import type { Role } from '../identity/user';

/** Who records comments, calls and promises (the server's list). */
export const collectionsWriters: readonly Role[] = ['administrator', 'collector', 'manager', 'credit'];
/** Who reads the worklist and timelines (the server's list). */
export const collectionsReaders: readonly Role[] = [...collectionsWriters, 'rebate_analyst', 'approver'];

export interface WorklistRow {
  account_id: string;
  name: string;
  collector: string | null;
  currency: string;
  past_due_amount: string;
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
  source: 'activity' | 'email' | 'audit';
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
