/**
 * Reading conversations: my threads with their unread counts (messages of the other side after the last
 * one I read), one thread's messages with their attachments, e-mails and recommendation state, and marking
 * messages read. Unread counts are per user: the desk counts the partner's messages, a partner the desk's.
 */
import { notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { type Side, sideOf } from './roles.ts';
import { type ThreadsQuery, threadsQuery } from './schemas.ts';
import {
  findThread,
  iso,
  otherSide,
  resolveSubject,
  type Subject,
  type ThreadRef,
  type ThreadSummary,
  unreadSql,
  withReader,
} from './threads.ts';

export interface MessageAttachment {
  document_id: string;
  file_name: string;
  media_type: string;
  size_bytes: string;
}

export interface MessageRecommendation {
  rule_code: string;
  program_id: string | null;
  status: 'sent' | 'acknowledged' | 'resolved';
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
}

export interface Message {
  message_id: string;
  thread_id: string;
  account_id: string;
  claim_id: string | null;
  kind: 'message' | 'recommendation';
  author_name: string;
  author_side: Side;
  /** Written by the caller. */
  mine: boolean;
  /** From the other side and after the caller's last read. */
  unread: boolean;
  body: string;
  attachments: MessageAttachment[];
  /** The e-mails that told the other side (those the caller may see), with their delivery state. */
  emails: { email_id: string; to: string[]; status: string }[];
  recommendation: MessageRecommendation | null;
  created_at: string;
}

export interface Conversation {
  /** Null until the first message. */
  thread_id: string | null;
  account_id: string;
  partner_name: string | null;
  claim_id: string | null;
  unread: number;
  items: Message[];
}

const me = (db: Db) => db.actor.userId ?? '';

/** The messages of threads (or the ones named), oldest first, as the caller sees them. */
export async function messageRows(
  db: Db,
  where: { thread_id?: string; message_ids?: readonly string[] },
): Promise<Message[]> {
  const side = sideOf(db.actor);
  const { rows } = await db.query<Message & { seq: string; last_read: string | null }>(
    `select m.message_id::text, m.thread_id::text, m.account_id, t.claim_id, m.kind, m.author_name, m.author_side,
       m.author_id::text is not distinct from nullif($3, '') as mine,
       (m.author_side = $4 and m.seq > coalesce((select r.last_read_seq from message_reads r
          where r.account_id = m.account_id and r.thread_id = m.thread_id and r.user_id::text = $3), 0)) as unread,
       m.body, m.created_at,
       coalesce((select jsonb_agg(jsonb_build_object('document_id', d.document_id, 'file_name', d.file_name,
                   'media_type', d.media_type, 'size_bytes', d.size_bytes::text) order by a.n)
                 from unnest(m.attachments) with ordinality a(id, n)
                 join documents d on d.account_id = m.account_id and d.document_id = a.id), '[]') as attachments,
       coalesce((select jsonb_agg(jsonb_build_object('email_id', e.email_id, 'to', e.to_addresses,
                   'status', e.status) order by e.created_at)
                 from emails e where e.account_id in (m.account_id, '')
                   and e.dedupe_key = 'message:' || m.message_id::text), '[]') as emails,
       (select jsonb_build_object('rule_code', x.rule_code, 'program_id', x.program_id, 'status', x.status,
          'acknowledged_by', x.acknowledged_by, 'acknowledged_at', x.acknowledged_at,
          'resolved_by', x.resolved_by, 'resolved_at', x.resolved_at)
        from recommendations x where x.account_id = m.account_id and x.message_id = m.message_id) as recommendation
     from messages m join message_threads t on t.account_id = m.account_id and t.thread_id = m.thread_id
     where ($1::uuid is null or m.thread_id = $1::uuid) and ($2::uuid[] is null or m.message_id = any($2::uuid[]))
     order by m.seq`,
    [where.thread_id ?? null, where.message_ids ?? null, me(db), otherSide(side)],
  );
  return rows.map((r) => ({
    message_id: r.message_id,
    thread_id: r.thread_id,
    account_id: r.account_id,
    claim_id: r.claim_id,
    kind: r.kind,
    author_name: r.author_name,
    author_side: r.author_side,
    mine: r.mine,
    unread: r.unread,
    body: r.body,
    attachments: r.attachments,
    emails: r.emails,
    recommendation: r.recommendation,
    created_at: iso(r.created_at)!,
  }));
}

/** The conversation about a claim or with a partner account (empty until the first message). */
export async function conversation(db: Db, subject: Subject): Promise<Conversation> {
  sideOf(db.actor);
  return db.tx(async (tx) => {
    const ref: ThreadRef = await resolveSubject(tx, subject);
    const threadId = await findThread(tx, ref);
    const { rows } = await tx.query<{ name: string }>('select name from accounts where account_id = $1', [
      ref.account_id,
    ]);
    const items = threadId ? await messageRows(tx, { thread_id: threadId }) : [];
    return {
      thread_id: threadId ?? null,
      account_id: ref.account_id,
      partner_name: rows[0]?.name ?? null,
      claim_id: ref.claim_id,
      unread: items.filter((m) => m.unread).length,
      items,
    };
  });
}

/** My conversations, most recent first, with unread counts and the total unread. */
export async function listThreads(
  db: Db,
  raw: ThreadsQuery = {},
): Promise<{ items: ThreadSummary[]; total: number; unread_total: number }> {
  const side = sideOf(db.actor);
  const q = threadsQuery.parse(raw);
  const onlyUnread = q.unread === 'true' || q.unread === '1';
  return db.tx(async (tx) => {
    const { rows } = await tx.query<ThreadSummary & { full_count: number }>(
      withReader(
        `with t as (
           select t.thread_id, t.account_id, t.claim_id, t.last_message_at, ${unreadSql('t')} as unread
           from message_threads t
           where ($1::text is null or t.account_id = $1) and t.last_message_at is not null
         )
         select t.thread_id::text, t.account_id, a.name as partner_name, t.claim_id, t.unread, t.last_message_at,
           (select count(*)::int from messages m where m.account_id = t.account_id and m.thread_id = t.thread_id)
             as messages,
           (select jsonb_build_object('message_id', m.message_id, 'kind', m.kind, 'author_name', m.author_name,
               'author_side', m.author_side, 'excerpt', left(m.body, 200))
            from messages m where m.account_id = t.account_id and m.thread_id = t.thread_id
            order by m.seq desc limit 1) as last_message,
           count(*) over ()::int as full_count
         from t left join accounts a on a.account_id = t.account_id
         where (not $2 or t.unread > 0)
         order by (t.unread > 0) desc, t.last_message_at desc, t.thread_id
         limit $3 offset $4`,
        5,
        6,
      ),
      [q.account_id ?? null, onlyUnread, q.limit, q.offset, otherSide(side), me(tx)],
    );
    const total = await tx.query<{ n: number }>(
      withReader(
        `select coalesce(sum(${unreadSql('t')}), 0)::int as n from message_threads t
         where ($1::text is null or t.account_id = $1)`,
        2,
        3,
      ),
      [q.account_id ?? null, otherSide(side), me(tx)],
    );
    return {
      total: rows[0]?.full_count ?? 0,
      unread_total: total.rows[0]?.n ?? 0,
      items: rows.map(({ full_count: _n, ...r }) => ({ ...r, last_message_at: iso(r.last_message_at) })),
    };
  });
}

/**
 * Marks a message, and every earlier one of its thread, read for the caller. Returns what is left unread
 * in the thread and in all. Work without a user (jobs, the CLI) reads nothing.
 */
export async function markRead(
  db: Db,
  messageId: string,
): Promise<{ thread_id: string; unread: number; unread_total: number }> {
  const side = sideOf(db.actor);
  if (!/^[0-9a-f-]{36}$/i.test(messageId)) throw notFound('The message');
  return db.tx(async (tx) => {
    const { rows } = await tx.query<{ account_id: string; thread_id: string; seq: string }>(
      'select account_id, thread_id::text, seq::text from messages where message_id = $1',
      [messageId],
    );
    const m = rows[0];
    if (!m) throw notFound('The message');
    if (tx.actor.userId) {
      await tx.query(
        `insert into message_reads (account_id, thread_id, user_id, last_read_seq) values ($1, $2, $3, $4)
         on conflict (account_id, thread_id, user_id) do update
           set last_read_seq = greatest(message_reads.last_read_seq, excluded.last_read_seq), read_at = now()`,
        [m.account_id, m.thread_id, tx.actor.userId, m.seq],
      );
    }
    const counts = await tx.query<{ thread: number; total: number }>(
      withReader(
        `select coalesce(sum(${unreadSql('t')}) filter (where t.thread_id = $1), 0)::int as thread,
           coalesce(sum(${unreadSql('t')}), 0)::int as total
         from message_threads t`,
        2,
        3,
      ),
      [m.thread_id, otherSide(side), me(tx)],
    );
    return {
      thread_id: m.thread_id,
      unread: counts.rows[0]?.thread ?? 0,
      unread_total: counts.rows[0]?.total ?? 0,
    };
  });
}
