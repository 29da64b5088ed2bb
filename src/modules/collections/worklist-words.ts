/**
 * The worklist's actions in words. A pure file with no imports: the web app imports it as a value too, so the
 * buttons and their confirmations say what the server does.
 */
export const worklistActions = ['reminder', 'statement', 'call', 'promise_follow_up', 'escalate'] as const;
export type WorklistAction = (typeof worklistActions)[number];

export const worklistActionLabels: Record<WorklistAction, string> = {
  reminder: 'Send reminder',
  statement: 'Send statement',
  call: 'Call',
  promise_follow_up: 'Follow up promise',
  escalate: 'Escalate to sales',
};

/** What an action does, for its confirmation. */
export const worklistActionDoes: Record<WorklistAction, string> = {
  reminder:
    'E-mails the billing contact a reminder of what is past due, less the credits in the customer’s favour, with the statement of account attached.',
  statement: 'E-mails the billing contact the statement of account as of today.',
  call: 'Opens a call task for you, due the next business day, on your tasks and your home page.',
  promise_follow_up:
    'E-mails the billing contact a reminder that notes the open promise to pay, with the statement attached.',
  escalate: 'Opens a task for the account’s sales owner (or the sales team) to chase the payment.',
};

/** The worklist action that does a strategy step now (a credit-hold recommendation is the credit team's). */
export const actionOfStep: Readonly<Record<string, WorklistAction | null>> = {
  courtesy_reminder: 'reminder',
  past_due_notice: 'reminder',
  final_demand: 'reminder',
  call: 'call',
  escalate_to_sales: 'escalate',
  credit_hold_recommendation: null,
};
