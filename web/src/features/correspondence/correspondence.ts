/** E-mails to accounts as the server sends them: the outbox, what was sent, failed or bounced. */
import type { Role } from '../identity/user';

/** Who sends, retries and resends (the server's list). */
export const mailSenders: readonly Role[] = ['administrator', 'collector', 'manager', 'credit'];
/** Who reads correspondence. */
export const mailReaders: readonly Role[] = [...mailSenders, 'rebate_analyst', 'approver'];

export type EmailStatus = 'queued' | 'sent' | 'failed' | 'bounced';

export interface Email {
  email_id: string;
  account_id: string;
  kind: string;
  dedupe_key: string | null;
  from_address: string;
  to_addresses: string[];
  cc_addresses: string[];
  subject: string;
  /** Only in the detail. */
  body?: string;
  attachments: string[];
  status: EmailStatus;
  attempts: number;
  last_error: string | null;
  next_attempt_at: string;
  transport: 'smtp' | 'outbox' | null;
  message_id: string | null;
  eml_path: string | null;
  sent_at: string | null;
  created_at: string;
  created_by: string | null;
  document_id: string | null;
  resend_of: string | null;
  bounced_at: string | null;
  bounce_reason: string | null;
}

export interface EmailAttempt {
  at: string;
  event: string;
  actor: string;
  attempt: number | null;
  error: string | null;
  transport: string | null;
  response: string | null;
  email_id: string | null;
}

export interface EmailDetail {
  email: Email & { body: string };
  history: EmailAttempt[];
  resends: string[];
}

export const statusColors: Record<EmailStatus, string> = {
  queued: 'blue',
  sent: 'teal',
  failed: 'orange',
  bounced: 'red',
};

export const statusLabels: Record<EmailStatus, string> = {
  queued: 'Queued',
  sent: 'Sent',
  failed: 'Failed (retried)',
  bounced: 'Bounced',
};

export const eventLabels: Record<string, string> = {
  queued: 'Queued',
  sent: 'Sent',
  failed: 'Attempt failed',
  bounced: 'Bounced',
  retry: 'Queued again by hand',
  resent: 'Resent as a new e-mail',
};

export const kindLabels: Record<string, string> = {
  statement: 'Statement',
  reminder: 'Reminder',
  invoice_copy: 'Invoice copy',
  message: 'Message',
};
