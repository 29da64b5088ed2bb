/**
 * Conversations: one per claim, keyed by (account_id, claim_id) since a claim id is unique only within its
 * partner, and one general conversation per partner account. A thread is created with its first message;
 * until then a claim or account simply has no messages. Reads run under the caller's row security: another
 * organisation's claim, account or message does not exist for a partner (404, the same words).
 */
import { AppError, notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { findAccount } from '../accounts/index.ts';
import { type ClaimKey, findClaim } from '../claims/index.ts';
import type { Side } from './roles.ts';

/** What a conversation is about: a claim, or the partner account itself. */
export type Subject = { claim: ClaimKey } | { account_id: string };

export interface ThreadRef {
  account_id: string;
  claim_id: string | null;
}

/** The claim or account a subject names, as the caller may see it (404 otherwise). */
export async function resolveSubject(db: Db, subject: Subject): Promise<ThreadRef> {
  if ('claim' in subject) {
    const ref = await findClaim(db, subject.claim);
    return { account_id: ref.account_id, claim_id: ref.claim_id };
  }
  const account = await findAccount(db, subject.account_id);
  if (!account) throw notFound(`The account ${subject.account_id}`);
  return { account_id: account.account_id, claim_id: null };
}

export async function findThread(db: Db, ref: ThreadRef): Promise<string | undefined> {
  const { rows } = await db.query<{ thread_id: string }>(
    `select thread_id::text from message_threads
     where account_id = $1 and claim_id is not distinct from $2`,
    [ref.account_id, ref.claim_id],
  );
  return rows[0]?.thread_id;
}

/** The thread of a claim or account, created when it has none yet (two first posts make one thread). */
export async function ensureThread(db: Db, ref: ThreadRef): Promise<string> {
  await db.query(
    ref.claim_id === null
      ? `insert into message_threads (account_id) values ($1)
         on conflict (account_id) where claim_id is null do nothing`
      : `insert into message_threads (account_id, claim_id) values ($1, $2)
         on conflict (account_id, claim_id) where claim_id is not null do nothing`,
    ref.claim_id === null ? [ref.account_id] : [ref.account_id, ref.claim_id],
  );
  const id = await findThread(db, ref);
  if (!id) throw new AppError('internal', 'The conversation could not be created.');
  return id;
}

/** Messages of the other side after my last read, per thread: unread counts. */
export const unreadSql = (threadAlias: string) => `(
  select count(*)::int from messages m
  where m.account_id = ${threadAlias}.account_id and m.thread_id = ${threadAlias}.thread_id
    and m.author_side = $/other/
    and m.seq > coalesce((select r.last_read_seq from message_reads r
                          where r.account_id = m.account_id and r.thread_id = m.thread_id
                            and r.user_id::text = $/me/), 0))`;

/** Fills the `$/other/` and `$/me/` placeholders of unreadSql with parameter numbers. */
export function withReader(sql: string, otherParam: number, meParam: number): string {
  return sql.replaceAll('$/other/', `$${otherParam}`).replaceAll('$/me/', `$${meParam}`);
}

export const otherSide = (side: Side): Side => (side === 'desk' ? 'partner' : 'desk');

export interface ThreadSummary {
  thread_id: string;
  account_id: string;
  partner_name: string | null;
  /** Null for the account's general conversation. */
  claim_id: string | null;
  messages: number;
  unread: number;
  last_message_at: string | null;
  last_message: {
    message_id: string;
    kind: 'message' | 'recommendation';
    author_name: string;
    author_side: Side;
    /** The first 200 characters. */
    excerpt: string;
  } | null;
}

export const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string | null));
