/**
 * E-mails to accounts: queued as a row (in the caller's transaction), delivered by the `mail.send` job (or
 * `sendQueued` in a process without a job queue), kept with their delivery state and the message as sent.
 * A failure is visible (status failed, the error, the attempts) and tried again with backoff until the
 * attempts run out; anyone who may send can retry it by hand. A permanent refusal (an SMTP 5xx reply) or a
 * delivery status notification that comes back later is a bounce: it is not retried (the address is wrong),
 * but the message can be resent, to corrected recipients if need be, as a new e-mail that keeps its own
 * history. Each attempt is written to the account's audit trail (`email_sent`, `email_failed`,
 * `email_bounced`), which the e-mail's detail shows as its attempts.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../../config.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { type Db, PoolDb } from '../../db/db.ts';
import { isPartner, requireRole } from '../identity/index.ts';
import {
  type AuditEntry,
  type DocumentRow,
  type DocumentStore,
  documentContent,
  getDocuments,
  mapInFlight,
  recordAudit,
  recordAuditMany,
} from '../platform/index.ts';
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
  status: 'queued' | 'sent' | 'failed' | 'bounced';
  attempts: number;
  last_error: string | null;
  next_attempt_at: string;
  transport: 'smtp' | 'outbox' | null;
  message_id: string | null;
  eml_path: string | null;
  sent_at: string | null;
  created_at: string;
  created_by: string | null;
  /** The item (document or payment) the e-mail is about, if any. */
  document_id: string | null;
  /** The e-mail this one resends. */
  resend_of: string | null;
  bounced_at: string | null;
  bounce_reason: string | null;
}

// created_by holds who queued it as the transaction named them (a user id, or a job's or the CLI's name).
const columns = `email_id::text, account_id, kind, dedupe_key, from_address, to_addresses, cc_addresses, subject,
  body, attachments::text[] as attachments, status, attempts, last_error, next_attempt_at, transport, message_id,
  eml_path, sent_at, created_at,
  coalesce((select u.name from users u where u.user_id::text = emails.created_by), created_by) as created_by,
  document_id, resend_of::text, bounced_at, bounce_reason`;

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string | null));
function toRow(r: EmailRow): EmailRow {
  return {
    ...r,
    next_attempt_at: iso(r.next_attempt_at)!,
    sent_at: iso(r.sent_at),
    created_at: iso(r.created_at)!,
    bounced_at: iso(r.bounced_at),
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
  dedupeKey?: string | undefined;
  from?: string;
  /** The item it is about: the item's timeline shows it. */
  documentId?: string | null;
  resendOf?: string | null;
}

/** Queues an e-mail; undefined when one with the same dedupe key already exists for the account. */
export async function queueEmail(db: Db, input: QueueEmailInput): Promise<EmailRow | undefined> {
  requireRole(db.actor, mailSenders);
  if (input.to.length === 0)
    throw new AppError('validation_failed', 'An e-mail needs at least one recipient.');
  return db.tx(async (tx) => {
    const { rows } = await tx.query<EmailRow>(
      `insert into emails (account_id, kind, dedupe_key, from_address, to_addresses, cc_addresses, subject, body,
         attachments, document_id, resend_of)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9::uuid[], $10, $11)
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
        input.documentId ?? null,
        input.resendOf ?? null,
      ],
    );
    const row = rows[0];
    if (!row) return undefined;
    await recordAudit(tx, {
      entityType: 'account',
      entityId: input.accountId,
      accountId: input.accountId,
      action: 'email_queued',
      after: {
        email_id: row.email_id,
        kind: row.kind,
        to: row.to_addresses,
        subject: row.subject,
        document_id: row.document_id,
        resend_of: row.resend_of,
      },
    });
    return toRow(row);
  });
}

/**
 * Queues many e-mails in one statement (and their audit rows in one more), in the caller's transaction.
 * Returns each input's e-mail id in order, undefined where the account had an e-mail with that dedupe key.
 */
export async function queueEmails(
  db: Db,
  inputs: readonly QueueEmailInput[],
): Promise<(string | undefined)[]> {
  requireRole(db.actor, mailSenders);
  if (inputs.length === 0) return [];
  for (const input of inputs)
    if (input.to.length === 0)
      throw new AppError('validation_failed', 'An e-mail needs at least one recipient.');
  const from = loadConfig().mailFrom;
  const emails = inputs.map((i) => ({
    email_id: randomUUID(),
    account_id: i.accountId,
    kind: i.kind ?? 'message',
    dedupe_key: i.dedupeKey ?? null,
    from_address: i.from ?? from,
    to_addresses: [...i.to],
    cc_addresses: [...(i.cc ?? [])],
    subject: i.subject,
    body: i.body,
    attachments: [...(i.attachments ?? [])],
    document_id: i.documentId ?? null,
    resend_of: i.resendOf ?? null,
  }));
  const { rows } = await db.query<{ email_id: string }>(
    `insert into emails (email_id, account_id, kind, dedupe_key, from_address, to_addresses, cc_addresses, subject,
       body, attachments, document_id, resend_of)
     select e.email_id, e.account_id, e.kind, e.dedupe_key, e.from_address,
       array(select jsonb_array_elements_text(e.to_addresses)), array(select jsonb_array_elements_text(e.cc_addresses)),
       e.subject, e.body, array(select jsonb_array_elements_text(e.attachments))::uuid[], e.document_id, e.resend_of
     from jsonb_to_recordset($1::jsonb) as e(email_id uuid, account_id text, kind text, dedupe_key text,
       from_address text, to_addresses jsonb, cc_addresses jsonb, subject text, body text, attachments jsonb,
       document_id text, resend_of uuid)
     on conflict (account_id, dedupe_key) where dedupe_key is not null do nothing
     returning email_id::text`,
    [JSON.stringify(emails)],
  );
  const made = new Set(rows.map((r) => r.email_id));
  const queued = emails.filter((e) => made.has(e.email_id));
  await recordAuditMany(
    db,
    queued.map((e) => ({
      entityType: 'account',
      entityId: e.account_id,
      accountId: e.account_id,
      action: 'email_queued',
      after: {
        email_id: e.email_id,
        kind: e.kind,
        to: e.to_addresses,
        subject: e.subject,
        document_id: e.document_id,
        resend_of: e.resend_of,
      },
    })),
  );
  return emails.map((e) => (made.has(e.email_id) ? e.email_id : undefined));
}

export const emailsQuery = z.object({
  account_id: z.string().trim().min(1).max(200).optional(),
  status: z.enum(['queued', 'sent', 'failed', 'bounced']).optional(),
  document_id: z.string().trim().min(1).max(200).optional(),
  /** Part of the subject or a recipient. */
  q: z.string().trim().min(1).max(200).optional(),
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
): Promise<{
  items: Omit<EmailRow, 'body'>[];
  total: number;
  /** E-mails by status under the same filters (the status filter aside). */
  counts: Record<EmailRow['status'], number>;
}> {
  requireMailReader(db);
  const q = emailsQuery.parse(raw);
  const like = q.q ? `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%` : null;
  const filters = `($1::text is null or account_id = $1) and ($2::text is null or transport = $2)
       and ($3::text is null or kind = $3) and ($4::text is null or document_id = $4)
       and ($5::text is null or subject ilike $5 or array_to_string(to_addresses, ' ') ilike $5)`;
  const params = [q.account_id ?? null, q.transport ?? null, q.kind ?? null, q.document_id ?? null, like];
  const { rows } = await db.query<EmailRow & { full_count: string }>(
    `select ${columns}, count(*) over () as full_count from emails
     where ${filters} and ($6::text is null or status = $6)
     order by created_at desc, email_id limit $7 offset $8`,
    [...params, q.status ?? null, q.limit, q.offset],
  );
  const counted = await db.query<{ status: EmailRow['status']; n: number }>(
    `select status, count(*)::int as n from emails where ${filters} group by status`,
    params,
  );
  const counts = { queued: 0, sent: 0, failed: 0, bounced: 0 };
  for (const c of counted.rows) counts[c.status] = c.n;
  return {
    counts,
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

export interface EmailAttempt {
  at: string;
  /** queued, sent, failed, bounced, retry (queued again by hand), resent (copied into a new e-mail). */
  event: string;
  actor: string;
  attempt: number | null;
  error: string | null;
  transport: string | null;
  response: string | null;
  /** For `resent`: the new e-mail. */
  email_id: string | null;
}

/** One e-mail with its history: every attempt, retry, bounce and resend, oldest first. */
export async function getEmailWithHistory(
  db: Db,
  emailId: string,
): Promise<{ email: EmailRow; history: EmailAttempt[]; resends: string[] }> {
  const email = await getEmail(db, emailId);
  const { rows } = await db.query<{
    occurred_at: Date;
    action: string;
    actor_name: string;
    after: Record<string, unknown> | null;
  }>(
    `select occurred_at, action, actor_name, after from audit_events
     where account_id = $1 and entity_type = 'account' and entity_id = $1
       and action in ('email_queued', 'email_sent', 'email_failed', 'email_bounced', 'email_retry', 'email_resent')
       and (after ->> 'email_id' = $2 or after ->> 'resend_of' = $2)
     order by event_id`,
    [email.account_id, email.email_id],
  );
  const history = rows
    .filter((r) => r.after?.email_id === email.email_id || r.action === 'email_queued')
    .map((r) => {
      const a = r.after ?? {};
      const text = (k: string) => (typeof a[k] === 'string' ? (a[k] as string) : null);
      return {
        at: r.occurred_at.toISOString(),
        event:
          r.action === 'email_queued' && a.resend_of === email.email_id
            ? 'resent'
            : r.action.replace(/^email_/, ''),
        actor: r.actor_name,
        attempt: typeof a.attempt === 'number' ? a.attempt : null,
        error: text('error'),
        transport: text('transport'),
        response: text('response'),
        email_id: r.action === 'email_queued' && a.resend_of === email.email_id ? text('email_id') : null,
      };
    });
  const resends = await db.query<{ email_id: string }>(
    'select email_id::text from emails where account_id = $1 and resend_of = $2 order by created_at',
    [email.account_id, email.email_id],
  );
  return { email, history, resends: resends.rows.map((r) => r.email_id) };
}

export const resendInput = z.object({
  /** New recipients (e.g. a corrected address); default the original ones. */
  to: z.array(z.email().trim().toLowerCase()).min(1).max(20).optional(),
  cc: z.array(z.email().trim().toLowerCase()).max(20).optional(),
});
export type ResendInput = z.input<typeof resendInput>;

/**
 * Sends an e-mail again as a new e-mail (same subject, text and attachments; the recipients may be
 * corrected): for a bounced one, or a sent one the customer says never arrived. The original keeps its
 * status and history and names the resend.
 */
export async function resendEmail(db: Db, emailId: string, raw: ResendInput = {}): Promise<EmailRow> {
  const original = await getEmail(db, emailId); // 404 first: another organisation's e-mail does not exist
  requireRole(db.actor, mailSenders);
  const input = resendInput.parse(raw);
  if (original.status === 'queued')
    throw new AppError('conflict', 'This e-mail has not been sent yet; it is still in the queue.');
  const { rows } = await db.query<{ body: string }>('select body from emails where email_id = $1', [emailId]);
  const copy = await queueEmail(db, {
    accountId: original.account_id,
    to: input.to ?? original.to_addresses,
    cc: input.cc ?? original.cc_addresses,
    subject: original.subject,
    body: rows[0]!.body,
    attachments: original.attachments,
    kind: original.kind,
    from: original.from_address,
    documentId: original.document_id,
    resendOf: original.email_id,
  });
  return copy!;
}

/**
 * A delivery status notification (a bounce that came back after the message was handed over), as the
 * mail server or an inbound-mail webhook delivers it: the raw message. It names our message by its
 * Message-ID (`<email_id@domain>`), either in the notification's headers or in the returned original; a
 * failed action (`Action: failed` or a 5.x.x status) marks that e-mail bounced with the diagnostic.
 */
export async function recordBounce(
  db: Db,
  dsn: string,
): Promise<{ email_id: string; status: EmailRow['status']; reason: string }> {
  requireRole(db.actor, mailSenders);
  const ids = [
    ...dsn.matchAll(/<([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})@[^>\s]+>/gi),
  ].map((m) => m[1]!.toLowerCase());
  const unique = [...new Set(ids)];
  if (unique.length === 0)
    throw new AppError('validation_failed', 'This message names no e-mail of ours (no Message-ID we sent).', {
      issues: [{ field: 'message', message: 'no Message-ID of ours in it' }],
    });
  const failed = /^Action:\s*failed/im.test(dsn) || /^Status:\s*5\.\d+\.\d+/im.test(dsn);
  if (!failed)
    throw new AppError(
      'validation_failed',
      'This is not a failure notice: it reports no failed delivery (Action: failed, or a 5.x.x status).',
      { issues: [{ field: 'message', message: 'not a failed delivery' }] },
    );
  const diagnostic =
    /^Diagnostic-Code:\s*(.+(?:\r?\n[ \t].+)*)/im.exec(dsn)?.[1]?.replace(/\s+/g, ' ').trim() ??
    /^Status:\s*(\S+)/im.exec(dsn)?.[1] ??
    'bounced';
  for (const id of unique) {
    const found = await db.query<{ email_id: string }>(
      'select email_id::text from emails where email_id = $1',
      [id],
    );
    if (!found.rows[0]) continue;
    return db.tx(async (tx) => {
      const { rows } = await tx.query<EmailRow>(
        `update emails set status = 'bounced', bounced_at = now(), bounce_reason = $2, last_error = $2,
           updated_at = now()
         where email_id = $1 and status in ('sent', 'failed', 'bounced') returning ${columns}`,
        [id, diagnostic.slice(0, 2000)],
      );
      const email = rows[0];
      if (!email)
        throw new AppError('conflict', 'This e-mail has not been sent yet, so it cannot have bounced.');
      await recordAudit(tx, {
        entityType: 'account',
        entityId: email.account_id,
        accountId: email.account_id,
        action: 'email_bounced',
        after: {
          email_id: id,
          subject: email.subject,
          error: diagnostic,
          source: 'delivery status notification',
        },
      });
      return { email_id: id, status: email.status, reason: diagnostic };
    });
  }
  throw notFound('The e-mail this notice is about');
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
): Promise<'sent' | 'failed' | 'bounced' | 'skipped'> {
  const [outcome] = await deliverEmails(db, [emailId], opts);
  return outcome!;
}

type Outcome = 'sent' | 'failed' | 'bounced' | 'skipped';

/** E-mails sent in one transaction by `deliverEmails` (and `sendQueued`). */
export const deliveryBatchSize = 25;

/**
 * Sends the e-mails among `emailIds` that are queued or failed, in one transaction: locked together (so two
 * workers never send one twice; those another worker holds are skipped), their attachments read in one
 * query, each message composed and handed over in turn, and what became of each written set-based (its
 * status, and its `email_sent`, `email_failed` or `email_bounced` audit row). Returns each id's outcome in
 * order. A failure to send one e-mail is that e-mail's outcome; the others go on.
 */
export async function deliverEmails(
  db: Db,
  emailIds: readonly string[],
  opts: SendOptions,
): Promise<Outcome[]> {
  if (emailIds.length === 0) return [];
  const config = loadConfig();
  const mailer = opts.mailer ?? createMailer({ smtpUrl: config.smtpUrl });
  const home = opts.home ?? config.home;
  try {
    return await db.tx(async (tx) => {
      const ids = [
        ...new Set(emailIds.filter((id) => /^[0-9a-f-]{36}$/i.test(id)).map((id) => id.toLowerCase())),
      ];
      const { rows } = await tx.query<EmailRow>(
        `select ${columns} from emails where email_id = any($1::uuid[]) and status in ('queued', 'failed')
         order by email_id for update skip locked`,
        [ids],
      );
      const emails = new Map(rows.map((r) => [r.email_id, r]));
      const documents = await getDocuments(
        tx,
        rows.flatMap((r) => r.attachments),
      );
      const done = new Map<string, { outcome: Exclude<Outcome, 'skipped'>; change: Delivered }>();
      // One after another in the batch, in the order asked: sendQueued has more than one batch in flight.
      for (const id of ids) {
        const email = emails.get(id);
        if (email) done.set(id, await deliverOne(email, documents, opts.store, mailer, home));
      }
      const changes = [...done.values()].map((d) => d.change);
      if (changes.length > 0) {
        await tx.query(
          `update emails e set status = v.status, attempts = e.attempts + 1, last_error = v.error,
             transport = case when v.status = 'sent' then v.transport else e.transport end,
             message_id = case when v.status = 'sent' then v.message_id else e.message_id end,
             eml_path = case when v.status = 'sent' then v.eml_path else e.eml_path end,
             sent_at = case when v.status = 'sent' then now() else e.sent_at end,
             bounced_at = case when v.status = 'bounced' then now() else e.bounced_at end,
             bounce_reason = case when v.status = 'bounced' then v.error else e.bounce_reason end,
             -- backoff: 1, 2, 4, … minutes (at most about 8.5 hours) after each failed attempt
             next_attempt_at = case when v.status = 'failed'
               then now() + interval '1 minute' * power(2, least(e.attempts, 9)) else e.next_attempt_at end,
             updated_at = now()
           from jsonb_to_recordset($1::jsonb) as v(email_id uuid, status text, error text, transport text,
             message_id text, eml_path text)
           where e.email_id = v.email_id`,
          [JSON.stringify(changes.map(({ audit: _a, ...c }) => c))],
        );
        await recordAuditMany(
          tx,
          changes.map((c) => c.audit),
        );
      }
      // An id asked for twice is sent once: the second is skipped, as it would be one call later.
      const told = new Set<string>();
      return emailIds.map((raw) => {
        const id = raw.toLowerCase();
        const outcome = told.has(id) ? undefined : done.get(id)?.outcome;
        told.add(id);
        return outcome ?? 'skipped';
      });
    });
  } finally {
    if (!opts.mailer) mailer.close();
  }
}

interface Delivered {
  email_id: string;
  status: 'sent' | 'failed' | 'bounced';
  error: string | null;
  transport: string | null;
  message_id: string | null;
  eml_path: string | null;
  audit: AuditEntry;
}

/** Composes and hands over one locked e-mail; what became of it, to be written with the batch. */
async function deliverOne(
  email: EmailRow,
  documents: ReadonlyMap<string, DocumentRow>,
  store: DocumentStore,
  mailer: Mailer,
  home: string,
): Promise<{ outcome: Exclude<Outcome, 'skipped'>; change: Delivered }> {
  const audit = (action: string, after: Record<string, unknown>): AuditEntry => ({
    entityType: 'account',
    entityId: email.account_id,
    accountId: email.account_id,
    action,
    after,
  });
  try {
    const attachments = [];
    for (const id of email.attachments) {
      const document = documents.get(id.toLowerCase());
      if (!document) throw notFound('The document');
      attachments.push({
        filename: document.file_name,
        contentType: document.media_type,
        content: await readAll(await documentContent(store, document)),
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
    return {
      outcome: 'sent',
      change: {
        email_id: email.email_id,
        status: 'sent',
        error: null,
        transport: mailer.transport,
        message_id: sent.messageId,
        eml_path: emlPath,
        audit: audit('email_sent', {
          email_id: email.email_id,
          kind: email.kind,
          to: email.to_addresses,
          cc: email.cc_addresses,
          subject: email.subject,
          attachments: email.attachments,
          transport: mailer.transport,
          message_id: sent.messageId,
          response: sent.response ?? null,
        }),
      },
    };
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 2000);
    const code = Number((err as { responseCode?: unknown }).responseCode);
    const unchanged = {
      email_id: email.email_id,
      error: message,
      transport: null,
      message_id: null,
      eml_path: null,
    };
    if (code >= 500 && code < 600) {
      // The server refused for good (no such mailbox, policy): trying again would only be refused again.
      return {
        outcome: 'bounced',
        change: {
          ...unchanged,
          status: 'bounced',
          audit: audit('email_bounced', {
            email_id: email.email_id,
            subject: email.subject,
            attempt: email.attempts + 1,
            error: message,
          }),
        },
      };
    }
    return {
      outcome: 'failed',
      change: {
        ...unchanged,
        status: 'failed',
        audit: audit('email_failed', {
          email_id: email.email_id,
          subject: email.subject,
          attempt: email.attempts + 1,
          error: message,
          next_attempt_at: null,
        }),
      },
    };
  }
}

/**
 * Sends every e-mail due: queued ones, and failed ones whose backoff has passed while attempts remain.
 * For processes without a job queue (CLI, tests); the `mail.send` job calls it in workers.
 */
/** Batches of e-mails sent at once by `sendQueued` on a connection pool. */
const sendWidth = 2;

export async function sendQueued(
  db: Db,
  opts: SendOptions & { emailIds?: readonly string[]; limit?: number },
): Promise<{ sent: number; failed: number; bounced: number; skipped: number }> {
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
    const result = { sent: 0, failed: 0, bounced: 0, skipped: 0 };
    // A batch of e-mails per transaction (locked together, written set-based), two batches at once on a
    // pool: while one waits for the database or the mail server, the next is composed.
    const batches: string[][] = [];
    for (let i = 0; i < rows.length; i += deliveryBatchSize)
      batches.push(rows.slice(i, i + deliveryBatchSize).map((r) => r.email_id));
    const outcomes = (
      await mapInFlight(batches, db instanceof PoolDb ? sendWidth : 1, (ids) =>
        deliverEmails(db, ids, { ...opts, mailer }),
      )
    ).flat();
    for (const outcome of outcomes) result[outcome]++;
    return result;
  } finally {
    if (!opts.mailer) mailer.close();
  }
}
