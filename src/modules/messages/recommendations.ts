/**
 * Recommendations: the analyst sends one of the scorecard's pieces of advice (per rule code, and per program
 * where the errors are concentrated) to the partner as a message of kind 'recommendation' — on the
 * partner's general conversation, or on a claim's — and it is tracked: sent, acknowledged by the partner
 * (its own users), resolved by the desk once the errors stop. One open recommendation per partner account,
 * rule code and program: a second one is refused while the first is open. The scorecard shows each
 * partner's recurring errors beside the recommendations sent.
 */
import { AppError, notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { type RecurringError, recommendationFor, recurringErrors } from '../claims/index.ts';
import { isPartner, requireRole } from '../identity/index.ts';
import { recordAudit } from '../platform/index.ts';
import { type Posted, postMessage } from './post-message.ts';
import { markRead } from './read-messages.ts';
import { recommenders, sideOf } from './roles.ts';
import {
  type RecommendationInput,
  type RecommendationStatus,
  type RecommendationsQuery,
  recommendationInput,
  recommendationsQuery,
} from './schemas.ts';
import { iso, resolveSubject } from './threads.ts';

export interface Recommendation {
  recommendation_id: string;
  account_id: string;
  partner_name: string | null;
  /** The claim whose conversation carries it; null on the partner's general conversation. */
  claim_id: string | null;
  rule_code: string;
  program_id: string | null;
  program_name: string | null;
  text: string;
  status: RecommendationStatus;
  sent_by: string;
  sent_at: string;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
}

const columns = `x.message_id::text as recommendation_id, x.account_id, a.name as partner_name, t.claim_id,
  x.rule_code, x.program_id, p.name as program_name, m.body as text, x.status, x.sent_by, x.sent_at,
  x.acknowledged_by, x.acknowledged_at, x.resolved_by, x.resolved_at`;
const from = `recommendations x
  join messages m on m.account_id = x.account_id and m.message_id = x.message_id
  join message_threads t on t.account_id = m.account_id and t.thread_id = m.thread_id
  left join accounts a on a.account_id = x.account_id
  left join programs p on p.program_id = x.program_id`;

function toRecommendation(r: Recommendation): Recommendation {
  return {
    ...r,
    sent_at: iso(r.sent_at)!,
    acknowledged_at: iso(r.acknowledged_at),
    resolved_at: iso(r.resolved_at),
  };
}

async function getRecommendation(db: Db, id: string): Promise<Recommendation> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('The recommendation');
  const { rows } = await db.query<Recommendation>(`select ${columns} from ${from} where x.message_id = $1`, [
    id,
  ]);
  if (!rows[0]) throw notFound('The recommendation');
  return toRecommendation(rows[0]);
}

/** Sends a recommendation to a partner (201), or returns the one a retried request sent. */
export async function sendRecommendation(
  db: Db,
  raw: RecommendationInput,
  opts: { idempotencyKey?: string | undefined } = {},
): Promise<Posted & { recommendation: Recommendation }> {
  requireRole(db.actor, recommenders);
  const input = recommendationInput.parse(raw);
  const subject = input.claim_id
    ? { claim: { claim_id: input.claim_id, account_id: input.account_id } }
    : { account_id: input.account_id };
  const ref = await resolveSubject(db, subject);
  const programId = input.program_id ?? null;
  let text = input.text;
  if (!text) {
    const errors = await recurringErrors(db, ref.account_id);
    text =
      errors.find((e) => e.rule_code === input.rule_code && e.program_id === programId)?.recommendation ??
      recommendationFor(input.rule_code);
  }
  const clientId = input.client_message_id ?? opts.idempotencyKey?.trim();
  const again = clientId
    ? await db.query('select 1 from messages where account_id = $1 and client_message_id = $2', [
        ref.account_id,
        clientId,
      ])
    : undefined;
  if (!again?.rows[0]) {
    const { rows: open } = await db.query<{ sent_at: Date; status: string }>(
      `select sent_at, status from recommendations
       where account_id = $1 and rule_code = $2 and coalesce(program_id, '') = coalesce($3, '') and status <> 'resolved'`,
      [ref.account_id, input.rule_code, programId],
    );
    if (open[0])
      throw new AppError(
        'conflict',
        `A recommendation on ${input.rule_code}${programId ? ` for program ${programId}` : ''} was sent to ${ref.account_id} on ${iso(open[0].sent_at)!.slice(0, 10)} and is still ${open[0].status}: resolve it before sending another.`,
      );
  }
  const posted = await postMessage(
    db,
    subject,
    { body: text, client_message_id: clientId },
    { recommendation: { rule_code: input.rule_code, program_id: programId } },
  );
  if (posted.message.kind !== 'recommendation')
    throw new AppError('conflict', 'This client message id names a message that is not a recommendation.');
  return { ...posted, recommendation: await getRecommendation(db, posted.message.message_id) };
}

async function moveRecommendation(
  db: Db,
  id: string,
  to: 'acknowledged' | 'resolved',
  fromStatuses: readonly RecommendationStatus[],
): Promise<Recommendation> {
  return db.tx(async (tx) => {
    const current = await getRecommendation(tx, id);
    if (current.status === to) return current;
    if (!fromStatuses.includes(current.status))
      throw new AppError('conflict', `This recommendation is ${current.status} already.`);
    const by = to === 'acknowledged' ? 'acknowledged' : 'resolved';
    await tx.query(
      `update recommendations set status = $3, ${by}_by = $4, ${by}_at = now(), updated_at = now()
       where account_id = $1 and message_id = $2`,
      [current.account_id, id, to, tx.actor.name],
    );
    await recordAudit(tx, {
      entityType: current.claim_id ? 'claim' : 'account',
      entityId: current.claim_id ?? current.account_id,
      accountId: current.account_id,
      action: `recommendation_${to}`,
      before: { status: current.status },
      after: {
        recommendation_id: id,
        status: to,
        rule_code: current.rule_code,
        program_id: current.program_id,
      },
    });
    return getRecommendation(tx, id);
  });
}

/** The partner acknowledges a recommendation it received (its own users only); it is read then. */
export async function acknowledgeRecommendation(db: Db, id: string): Promise<Recommendation> {
  if (!isPartner(db.actor.roles))
    throw new AppError('forbidden', 'The partner acknowledges its recommendations; the desk resolves them.');
  const acknowledged = await moveRecommendation(db, id, 'acknowledged', ['sent']);
  // Acknowledging it is reading it.
  await markRead(db, id);
  return acknowledged;
}

/** The desk marks a recommendation resolved (the errors it was about have stopped). */
export async function resolveRecommendation(db: Db, id: string): Promise<Recommendation> {
  await getRecommendation(db, id); // 404 first: another organisation's recommendation does not exist
  requireRole(db.actor, recommenders);
  return moveRecommendation(db, id, 'resolved', ['sent', 'acknowledged']);
}

/**
 * Recommendations sent, newest first; with an account, also that partner's recurring errors per program
 * (what the scorecard offers to send).
 */
export async function listRecommendations(
  db: Db,
  raw: RecommendationsQuery = {},
): Promise<{ items: Recommendation[]; recurring_errors: RecurringError[] | null }> {
  sideOf(db.actor);
  const q = recommendationsQuery.parse(raw);
  return db.tx(async (tx) => {
    if (q.account_id) await resolveSubject(tx, { account_id: q.account_id });
    const { rows } = await tx.query<Recommendation>(
      `select ${columns} from ${from}
       where ($1::text is null or x.account_id = $1 or a.parent_account_id = $1) and ($2::text is null or x.status = $2)
       order by x.sent_at desc, x.message_id`,
      [q.account_id ?? null, q.status ?? null],
    );
    return {
      items: rows.map(toRecommendation),
      recurring_errors: q.account_id ? await recurringErrors(tx, q.account_id) : null,
    };
  });
}
