/**
 * Posting a message: the desk (rebate analysts, managers, administrators, collectors) or the partner's own
 * users write on a claim's conversation or the partner's general one, with documents attached. The post is
 * kept on the claim's (or account's) audit trail, so the claim's history shows it, and the other side is
 * told by e-mail through correspondence (SMTP or the outbox, with its retries):
 * - the desk's message goes to the partner's claims contact, or to the partner's users when it has none;
 * - the partner's goes to the claim's rebate analyst (the account's), or to the rebate analysts when the
 *   account has none, or to the managers when there are none; filed under no account, so partners never
 *   see the company's internal mail.
 * A client message id (or the Idempotency-Key header) makes a retried post return the first message; the
 * e-mails carry the message's dedupe key, so a retry never mails twice either.
 */
import pg from 'pg';
import { AppError } from '../../core/errors.ts';
import { type Db, PoolDb, systemActor } from '../../db/db.ts';
import { queueEmail, requestDelivery } from '../correspondence/index.ts';
import { getDocument, recordAudit } from '../platform/index.ts';
import { type Message, messageRows } from './read-messages.ts';
import { type Side, sideOf } from './roles.ts';
import { type PostMessageInput, postMessageInput } from './schemas.ts';
import { ensureThread, resolveSubject, type Subject, type ThreadRef } from './threads.ts';

export interface Posted {
  message: Message;
  /** False when the client message id named a message posted before: nothing new was posted. */
  created: boolean;
}

/** A recommendation that goes with the message (kind 'recommendation'). */
export interface RecommendationFields {
  rule_code: string;
  program_id: string | null;
}

export async function postMessage(
  db: Db,
  subject: Subject,
  raw: PostMessageInput,
  opts: { idempotencyKey?: string | undefined; recommendation?: RecommendationFields } = {},
): Promise<Posted> {
  const side = sideOf(db.actor);
  const input = postMessageInput.parse(raw);
  const clientId = input.client_message_id ?? opts.idempotencyKey?.trim() ?? null;
  const keep = () =>
    db.tx(async (tx) => {
      const ref = await resolveSubject(tx, subject);
      if (clientId) {
        const { rows } = await tx.query<{ message_id: string; body: string }>(
          'select message_id::text, body from messages where account_id = $1 and client_message_id = $2',
          [ref.account_id, clientId],
        );
        const earlier = rows[0];
        if (earlier) {
          if (earlier.body !== input.body)
            throw new AppError(
              'conflict',
              'This client message id was used for a different message; use a new id for a new message.',
              { issues: [{ field: 'client_message_id', message: 'used for a different message' }] },
            );
          return { messageId: earlier.message_id, ref, created: false };
        }
      }
      const attachments: string[] = [];
      for (const [i, id] of input.attachments.entries()) {
        const document = await getDocument(tx, id).catch(() => undefined);
        if (!document || document.account_id !== ref.account_id)
          throw new AppError(
            'validation_failed',
            `The attachment ${id} is not a document of ${ref.account_id}.`,
            {
              issues: [{ field: `attachments.${i}`, message: 'upload it to the claim or the account first' }],
            },
          );
        if (!attachments.includes(document.document_id)) attachments.push(document.document_id);
      }
      const threadId = await ensureThread(tx, ref);
      const { rows } = await tx.query<{ message_id: string; seq: string }>(
        `insert into messages (account_id, thread_id, kind, author_id, author_name, author_side, body, attachments,
         client_message_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8::uuid[], $9) returning message_id::text, seq::text`,
        [
          ref.account_id,
          threadId,
          opts.recommendation ? 'recommendation' : 'message',
          tx.actor.userId,
          tx.actor.name,
          side,
          input.body,
          attachments,
          clientId,
        ],
      );
      const message = rows[0]!;
      await tx.query(
        'update message_threads set last_message_at = now() where account_id = $1 and thread_id = $2',
        [ref.account_id, threadId],
      );
      for (const id of attachments)
        await tx.query(
          `insert into document_links (account_id, document_id, entity_type, entity_id, linked_by)
         values ($1, $2, 'message', $3, $4) on conflict do nothing`,
          [ref.account_id, id, message.message_id, tx.actor.name],
        );
      if (opts.recommendation)
        await tx.query(
          `insert into recommendations (account_id, message_id, rule_code, program_id, sent_by)
         values ($1, $2, $3, $4, $5)`,
          [
            ref.account_id,
            message.message_id,
            opts.recommendation.rule_code,
            opts.recommendation.program_id,
            tx.actor.name,
          ],
        );
      // Writing is reading: the author has seen the thread up to its own message.
      if (tx.actor.userId)
        await tx.query(
          `insert into message_reads (account_id, thread_id, user_id, last_read_seq) values ($1, $2, $3, $4)
         on conflict (account_id, thread_id, user_id) do update
           set last_read_seq = greatest(message_reads.last_read_seq, excluded.last_read_seq), read_at = now()`,
          [ref.account_id, threadId, tx.actor.userId, message.seq],
        );
      await recordAudit(tx, {
        entityType: ref.claim_id === null ? 'account' : 'claim',
        entityId: ref.claim_id ?? ref.account_id,
        accountId: ref.account_id,
        action: opts.recommendation ? 'recommendation_sent' : 'message_posted',
        after: {
          message_id: message.message_id,
          author_side: side,
          body: input.body.length > 500 ? `${input.body.slice(0, 500)}…` : input.body,
          attachments,
          ...(opts.recommendation ?? {}),
        },
      });
      return { messageId: message.message_id, ref, created: true };
    });
  let posted: Awaited<ReturnType<typeof keep>>;
  try {
    posted = await keep();
  } catch (err) {
    const constraint = err instanceof pg.DatabaseError && err.code === '23505' ? err.constraint : undefined;
    // Two posts of one message at the same moment: the second finds the first.
    if (constraint === 'messages_client') posted = await keep();
    else if (constraint === 'recommendations_open')
      throw new AppError('conflict', 'A recommendation on this rule and program is open already.');
    else throw err;
  }
  // Mailed after the message is kept (a retry of the post mails what a failure left unmailed, once).
  const emailIds = await mailOtherSide(db, posted.messageId, posted.ref, side);
  if (emailIds.length > 0) await requestDelivery(emailIds);
  const [message] = await messageRows(db, { message_ids: [posted.messageId] });
  return { message: message!, created: posted.created };
}

interface MailFacts {
  account_id: string;
  partner_name: string | null;
  claims_email: string | null;
  rebate_analyst: string | null;
  author_name: string;
  author_email: string | null;
  kind: 'message' | 'recommendation';
  body: string;
  attachments: string[];
  file_names: string[];
  rule_code: string | null;
  program_id: string | null;
}

/** Queues the e-mail telling the other side; ids of e-mails queued (none when queued before). */
async function mailOtherSide(db: Db, messageId: string, ref: ThreadRef, side: Side): Promise<string[]> {
  // Telling the other side is the system's: a partner or an analyst need not be allowed to send e-mail.
  const mailDb = db instanceof PoolDb ? db.as(systemActor('messages')) : db;
  return mailDb.tx(async (tx) => {
    const { rows } = await tx.query<MailFacts>(
      `select m.account_id, a.name as partner_name, a.claims_email, a.rebate_analyst, m.author_name,
         u.email as author_email, m.kind, m.body, m.attachments::text[] as attachments,
         coalesce((select array_agg(d.file_name order by d.file_name) from documents d
                   where d.account_id = m.account_id and d.document_id = any(m.attachments)), '{}') as file_names,
         x.rule_code, x.program_id
       from messages m
       left join accounts a on a.account_id = m.account_id
       left join users u on u.user_id = m.author_id
       left join recommendations x on x.account_id = m.account_id and x.message_id = m.message_id
       where m.account_id = $1 and m.message_id = $2`,
      [ref.account_id, messageId],
    );
    const f = rows[0];
    if (!f) return [];
    const to = (side === 'desk' ? await partnerAddresses(tx, f) : await deskAddresses(tx, f)).filter(
      (a) => a !== f.author_email,
    );
    if (to.length === 0) return [];
    const email = await queueEmail(tx, {
      accountId: side === 'desk' ? ref.account_id : '',
      to,
      ...mailText(f, ref, side),
      attachments: f.attachments,
      kind: f.kind,
      dedupeKey: `message:${messageId}`,
    });
    return email ? [email.email_id] : [];
  });
}

const split = (list: string | null) =>
  (list ?? '')
    .split(/[;,\s]+/)
    .map((a) => a.trim().toLowerCase())
    .filter(Boolean);

/** The partner's claims contact, or its active users (of the account or the organisation above it). */
async function partnerAddresses(db: Db, f: MailFacts): Promise<string[]> {
  const contact = split(f.claims_email);
  if (contact.length > 0) return contact;
  const { rows } = await db.query<{ email: string }>(
    `select u.email from users u
     where u.active and 'partner' = any(u.roles)
       and (u.account_id = $1 or u.account_id = (select parent_account_id from accounts where account_id = $1))
     order by u.email`,
    [f.account_id],
  );
  return rows.map((r) => r.email);
}

/** The account's rebate analyst, or every rebate analyst, or the managers. */
async function deskAddresses(db: Db, f: MailFacts): Promise<string[]> {
  const analyst = split(f.rebate_analyst);
  if (analyst.length > 0) return analyst;
  for (const role of ['rebate_analyst', 'manager']) {
    const { rows } = await db.query<{ email: string }>(
      'select email from users where active and $1 = any(roles) order by email',
      [role],
    );
    if (rows.length > 0) return rows.map((r) => r.email);
  }
  return [];
}

function mailText(f: MailFacts, ref: ThreadRef, side: Side): { subject: string; body: string } {
  const partner = f.partner_name ? `${f.partner_name} (${f.account_id})` : f.account_id;
  const about = ref.claim_id ? `claim ${ref.claim_id}` : side === 'desk' ? 'your account' : partner;
  const subject =
    f.kind === 'recommendation'
      ? `Recommendation on your claims: ${f.rule_code}${f.program_id ? ` (program ${f.program_id})` : ''}`
      : ref.claim_id
        ? `Claim ${ref.claim_id}${side === 'partner' ? ` of ${partner}` : ''}: a message from ${f.author_name}`
        : `${side === 'partner' ? partner : 'Your account'}: a message from ${f.author_name}`;
  const link =
    side === 'desk'
      ? ref.claim_id
        ? `/claims/${encodeURIComponent(ref.claim_id)}#messages`
        : '/my-messages'
      : ref.claim_id
        ? `/claims/${encodeURIComponent(ref.claim_id)}?account_id=${encodeURIComponent(ref.account_id)}#messages`
        : `/messages?account_id=${encodeURIComponent(ref.account_id)}`;
  const lines = [
    `${f.author_name} wrote about ${about}:`,
    '',
    f.body,
    '',
    ...(f.file_names.length > 0 ? [`Attached: ${f.file_names.join(', ')}`, ''] : []),
    `Reply in Clearhouse${side === 'desk' ? ' (partner portal)' : ''}: ${link}`,
  ];
  return { subject, body: lines.join('\n') };
}
