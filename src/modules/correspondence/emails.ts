/**
 * E-mails to accounts: queued as a row (in the caller's transaction), delivered by the `mail.send` job (or
 * `sendQueued` in a process without a job queue), kept with their delivery state and the message as sent.
 * A failure is visible (status failed, the error, the attempts) and tried again with backoff until the
 * attempts run out; anyone who may send can retry it by hand. Each sent e-mail is written to the account's
 * audit trail (`email_sent`), which is its timeline until a timeline of its own exists.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../../config.ts';
import { AppError, notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { isPartner, requireRole } from '../identity/index.ts';
import { type DocumentStore, openDocumentContent, recordAudit } from '../platform/index.ts';
import { createMailer, keepEml, type Mailer, mailDomain } from './mailer.ts';

/** Internal roles that send and retry correspondence. */
export const mailSenders = ['administrator', 'collector', 'manager', 'credit'] as const;
/** Internal roles that read it; partners read their own organisation's (row security). */
export const mailReaders = [...mailSenders, 'rebate_analyst', 'approver'] as const;

/** Automatic attempts before a failed e-mail waits for someone to retry it. */
export const maxAttempts = 8;

export interface EmailRow {
  email_id: string;
  account_id: string;
  kind: string;
  dedupe_key: string | null;
  from_address: string;
  to_addresses: string[];
  cc_addresses: string[];
  subject: string;
  body: string;
  attachments: string[];
  status: 'queued' | 'sent' | 'failed';
  attempts: number;
  last_error: string | null;
  next_attempt_at: string;
  transport: 'smtp' | 'outbox' | null;
  message_id: string | null;
  eml_path: string | null;
  sent_at: string | null;
  created_at: string;
  created_by: string | null;
}

const columns = `email_id::text, account_id, kind, dedupe_key, from_address, to_addresses, cc_addresses, subject,
  body, attachments::text[] as attachments, status, attempts, last_error, next_attempt_at, transport, message_id,
  eml_path, sent_at, created_at, created_by`;

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string | null));
function toRow(r: EmailRow): EmailRow {
  return {
    ...r,
    next_attempt_at: iso(r.next_attempt_at)!,
    sent_at: iso(r.sent_at),
    created_at: iso(r.created_at)!,
  };
}

export interface QueueEmailInput {
  accountId: string;
  to: readonly string[];
  cc?: readonly string[];
  subject: string;
  body: string;
  /** Document ids to attach (documents the sender may see). */
  attachments?: readonly string[];
  kind?: string;
  /** Never queue a second e-mail with this key for the account. */
  dedupeKey?: string;
  from?: string;
}

/** Queues an e-mail; undefined when one with the same dedupe key already exists for the account. */
export async function queueEmail(db: Db, input: QueueEmailInput): Promise<EmailRow | undefined> {
  requireRole(db.actor, mailSenders);
  if (input.to.length === 0)
    throw new AppError('validation_failed', 'An e-mail needs at least one recipient.');
  return db.tx(async (tx) => {
    const { rows } = await tx.query<EmailRow>(
      `insert into emails (account_id, kind, dedupe_key, from_address, to_addresses, cc_addresses, subject, body,
         attachments)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9::uuid[])
       on conflict (account_id, dedupe_key) where dedupe_key is not null do nothing
       returning ${columns}`,
      [
        input.accountId,
        input.kind ?? 'message',
        input.dedupeKey ?? null,
        input.from ?? loadConfig().mailFrom,
        input.to,
        input.cc ?? [],
        input.subject,
        input.body,
        input.attachments ?? [],
      ],
    );
    const row = rows[0];
    if (!row) return undefined;
    await recordAudit(tx, {
      entityType: 'account',
      entityId: input.accountId,
      accountId: input.accountId,
      action: 'email_queued',
      after: { email_id: row.email_id, kind: row.kind, to: row.to_addresses, subject: row.subject },
    });
    return toRow(row);
  });
}

export const emailsQuery = z.object({
  account_id: z.string().trim().min(1).max(200).optional(),
  status: z.enum(['queued', 'sent', 'failed']).optional(),
  transport: z.enum(['smtp', 'outbox']).optional(),
  kind: z.string().trim().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type EmailsQuery = z.input<typeof emailsQuery>;

function requireMailReader(db: Db): void {
  if (isPartner(db.actor.roles)) return;
  requireRole(db.actor, mailReaders);
}

/** The outbox and sent e-mails, newest first (without their bodies). */
export async function listEmails(
  db: Db,
  raw: EmailsQuery = {},
): Promise<{ items: Omit<EmailRow, 'body'>[]; total: number }> {
  requireMailReader(db);
  const q = emailsQuery.parse(raw);
  const { rows } = await db.query<EmailRow & { full_count: string }>(
    `select ${columns}, count(*) over () as full_count from emails
     where ($1::text is null or account_id = $1) and ($2::text is null or status = $2)
       and ($3::text is null or transport = $3) and ($4::text is null or kind = $4)
     order by created_at desc, email_id limit $5 offset $6`,
    [q.account_id ?? null, q.status ?? null, q.transport ?? null, q.kind ?? null, q.limit, q.offset],
  );
  return {
    total: rows[0] ? Number(rows[0].full_count) : 0,
    items: rows.map((r) => {
      const { full_count: _n, body: _b, ...rest } = toRow(r) as EmailRow & { full_count: string };
      return rest;
    }),
  };
}

export async function getEmail(db: Db, emailId: string): Promise<EmailRow> {
  requireMailReader(db);
  if (!/^[0-9a-f-]{36}$/i.test(emailId)) throw notFound('The e-mail');
  const { rows } = await db.query<EmailRow>(`select ${columns} from emails where email_id = $1`, [emailId]);
  if (!rows[0]) throw notFound('The e-mail');
  return toRow(rows[0]);
}

/** The message as sent (.eml), for download. */
export async function emailRaw(
  db: Db,
  emailId: string,
  home = loadConfig().home,
): Promise<{ fileName: string; content: Buffer }> {
  const email = await getEmail(db, emailId);
  const file = email.eml_path ? path.join(home, email.eml_path) : undefined;
  if (!file || !fs.existsSync(file)) throw notFound('The message of this e-mail (not sent yet)');
  return { fileName: `${email.email_id}.eml`, content: fs.readFileSync(file) };
}

/** Queues a failed (or still queued) e-mail to be sent again now. */
export async function retryEmail(db: Db, emailId: string): Promise<EmailRow> {
  await getEmail(db, emailId); // 404 first: another organisation's e-mail does not exist
  requireRole(db.actor, mailSenders);
  return db.tx(async (tx) => {
    const { rows } = await tx.query<EmailRow>(
      `update emails set status = 'queued', next_attempt_at = now(), updated_at = now()
       where email_id = $1 and status in ('queued', 'failed') returning ${columns}`,
      [emailId],
    );
    if (!rows[0]) throw new AppError('conflict', 'This e-mail has been sent already.');
    await recordAudit(tx, {
      entityType: 'account',
      entityId: rows[0].account_id,
      accountId: rows[0].account_id,
      action: 'email_retry',
      after: { email_id: emailId, attempts: rows[0].attempts },
    });
    return toRow(rows[0]);
  });
}

export interface SendOptions {
  store: DocumentStore;
  /** Default: SMTP_URL, or the outbox. */
  mailer?: Mailer;
  /** Where .eml files are kept; default CLEARHOUSE_HOME. */
  home?: string;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Sends one e-mail if it is queued or failed (locked, so two workers never send it twice); returns what
 * became of it, or 'skipped' when it was sent already or another worker holds it.
 */
export async function deliverEmail(
  db: Db,
  emailId: string,
  opts: SendOptions,
): Promise<'sent' | 'failed' | 'skipped'> {
  const config = loadConfig();
  const mailer = opts.mailer ?? createMailer({ smtpUrl: config.smtpUrl });
  const home = opts.home ?? config.home;
  try {
    return await db.tx(async (tx) => {
      const { rows } = await tx.query<EmailRow>(
        `select ${columns} from emails where email_id = $1 and status in ('queued', 'failed')
         for update skip locked`,
        [emailId],
      );
      const email = rows[0];
      if (!email) return 'skipped';
      try {
        const attachments = [];
        for (const id of email.attachments) {
          const { document, content } = await openDocumentContent(tx, opts.store, id);
          attachments.push({
            filename: document.file_name,
            contentType: document.media_type,
            content: await readAll(content),
          });
        }
        const sent = await mailer.send({
          from: email.from_address,
          to: email.to_addresses,
          cc: email.cc_addresses,
          subject: email.subject,
          text: email.body,
          messageId: `<${email.email_id}@${mailDomain(email.from_address)}>`,
          attachments,
        });
        const emlPath = keepEml(home, mailer.transport, email.email_id, sent.raw);
        await tx.query(
          `update emails set status = 'sent', attempts = attempts + 1, last_error = null, transport = $2,
             message_id = $3, eml_path = $4, sent_at = now(), updated_at = now()
           where email_id = $1`,
          [email.email_id, mailer.transport, sent.messageId, emlPath],
        );
        await recordAudit(tx, {
          entityType: 'account',
          entityId: email.account_id,
          accountId: email.account_id,
          action: 'email_sent',
          after: {
            email_id: email.email_id,
            kind: email.kind,
            to: email.to_addresses,
            cc: email.cc_addresses,
            subject: email.subject,
            attachments: email.attachments,
            transport: mailer.transport,
            message_id: sent.messageId,
            response: sent.response ?? null,
          },
        });
        return 'sent';
      } catch (err) {
        const message = (err instanceof Error ? err.message : String(err)).slice(0, 2000);
        // Backoff: 1, 2, 4, … minutes (at most about 8.5 hours) after each failed attempt.
        await tx.query(
          `update emails set status = 'failed', attempts = attempts + 1, last_error = $2, updated_at = now(),
             next_attempt_at = now() + interval '1 minute' * power(2, least(attempts, 9))
           where email_id = $1`,
          [email.email_id, message],
        );
        await recordAudit(tx, {
          entityType: 'account',
          entityId: email.account_id,
          accountId: email.account_id,
          action: 'email_failed',
          after: {
            email_id: email.email_id,
            subject: email.subject,
            attempt: email.attempts + 1,
            error: message,
          },
        });
        return 'failed';
      }
    });
  } finally {
    if (!opts.mailer) mailer.close();
  }
}

/**
 * Sends every e-mail due: queued ones, and failed ones whose backoff has passed while attempts remain.
 * For processes without a job queue (CLI, tests); the `mail.send` job calls it in workers.
 */
export async function sendQueued(
  db: Db,
  opts: SendOptions & { emailIds?: readonly string[]; limit?: number },
): Promise<{ sent: number; failed: number; skipped: number }> {
  requireRole(db.actor, mailSenders);
  const config = loadConfig();
  const mailer = opts.mailer ?? createMailer({ smtpUrl: config.smtpUrl });
  try {
    const { rows } = await db.query<{ email_id: string }>(
      `select email_id::text from emails
       where (status = 'queued' or (status = 'failed' and attempts < $1)) and next_attempt_at <= now()
         and ($2::uuid[] is null or email_id = any($2::uuid[]))
       order by next_attempt_at, created_at limit $3`,
      [maxAttempts, opts.emailIds ?? null, opts.limit ?? 500],
    );
    const result = { sent: 0, failed: 0, skipped: 0 };
    for (const { email_id } of rows) result[await deliverEmail(db, email_id, { ...opts, mailer })]++;
    return result;
  } finally {
    if (!opts.mailer) mailer.close();
  }
}
