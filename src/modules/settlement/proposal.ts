/**
 * Payment proposals: before a settlement run pays, a settler sees what it would pay on a payment date — each
 * approved claim with something left to pay (after deductions), by method and partner, its SLA priority, and
 * the blockers of claims that cannot be paid (no bank details …) — excludes claims with a reason (or takes
 * them back), and submits it. Submitting runs the settlement for exactly the claims still included; the
 * database's guards stay the only protection against paying twice, so a claim paid meanwhile (another run, a
 * deduction) is simply not paid again, and the result says so. A proposal is over once submitted, or once
 * its payment date has passed (expired).
 */
import { Decimal } from 'decimal.js';
import { today } from '../../core/dates.ts';
import { AppError, invalid } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { requireRole } from '../identity/index.ts';
import { recordAudit } from '../platform/index.ts';
import { paymentDate } from './payment-date.ts';
import {
  type BatchSummary,
  blocker,
  rank,
  readCandidates,
  releaseLimitFromEnv,
  runSettlement,
  type SettlementOptions,
  settlers,
} from './settlement.ts';

export interface ProposalLine {
  account_id: string;
  partner_name: string | null;
  claim_id: string;
  method: string;
  currency: string;
  /** What the run would pay: approved − what deductions settled. */
  amount: string;
  submitted_date: string | null;
  sla_priority: boolean;
  sla_state: string | null;
  sla_due_date: string | null;
  /** Why the claim cannot be paid now (it stays unpaid), or null. */
  blocker: string | null;
  excluded: boolean;
  exclusion_reason: string | null;
  excluded_by: string | null;
  excluded_at: string | null;
}

/** A batch the submit would make: one per method, currency and SLA priority, of the included claims. */
export interface ProposalBatch {
  method: string;
  currency: string;
  sla_priority: boolean;
  claims: number;
  amount: string;
  /** Above the release limit: it will wait for an approver's release. */
  release_required: boolean;
}

/** What the submit would pay to one partner by one method (included claims without a blocker). */
export interface ProposalPartnerTotal {
  method: string;
  account_id: string;
  partner_name: string | null;
  currency: string;
  claims: number;
  amount: string;
}

export interface ProposalClaimRef {
  account_id: string;
  claim_id: string;
}

export interface ProposalSubmitResult {
  batches: BatchSummary[];
  paid: (ProposalClaimRef & { batch_id: string; amount: string; proposed_amount: string })[];
  /** Included claims the run did not pay, with why (paid meanwhile, a blocker). */
  not_paid: (ProposalClaimRef & { reason: string })[];
  excluded: number;
}

export type ProposalStatus = 'open' | 'submitted' | 'expired';

export interface ProposalSummary {
  proposal_id: string;
  as_of: string;
  status: ProposalStatus;
  created_by: string | null;
  created_at: string;
  submitted_by: string | null;
  submitted_at: string | null;
  claims: number;
  included: number;
  excluded: number;
  blocked: number;
}

export interface PaymentProposal extends ProposalSummary {
  release_limit: string;
  lines: ProposalLine[];
  batches: ProposalBatch[];
  /** By method and partner, then per currency: what the submit would pay. */
  partners: ProposalPartnerTotal[];
  totals: { currency: string; claims: number; amount: string }[];
  result: ProposalSubmitResult | null;
}

/** Open until submitted, expired once its payment date has passed (`today` the query's parameter). */
const statusOf = (today: string) => `case when p.status = 'submitted' then 'submitted'
  when p.as_of < ${today}::date then 'expired' else 'open' end`;
const proposalStatus = statusOf('$2');

/** Builds a proposal for a payment date (default: the next business day), from what a run would pay now. */
export async function buildProposal(db: Db, input: { as_of?: string }): Promise<PaymentProposal> {
  requireRole(db.actor, settlers);
  const asOf = paymentDate(input.as_of);
  if (asOf < today())
    throw invalid('as_of', `${asOf} has passed; a proposal pays on today or a later business day`);
  const id = await db.tx(async (tx) => {
    const ranked = rank(await readCandidates(tx), asOf);
    const { rows } = await tx.query<{ proposal_id: string }>(
      `insert into payment_proposals (proposal_id, as_of, created_by, created_by_user_id)
       values ('PP-' || lpad(nextval('payment_proposal_seq')::text, 6, '0'), $1, $2, $3)
       returning proposal_id`,
      [asOf, tx.actor.name, tx.actor.userId],
    );
    const proposalId = rows[0]!.proposal_id;
    await tx.query(
      `insert into payment_proposal_lines (account_id, proposal_id, claim_id, method, currency, amount,
         submitted_date, sla_priority, sla_state, sla_due_date, blocker)
       select l.account_id, $2, l.claim_id, l.method, l.currency, l.amount::numeric, l.submitted_date::date,
         l.sla_priority, l.sla_state, l.sla_due_date::date, l.blocker
       from jsonb_to_recordset($1::jsonb) as l(account_id text, claim_id text, method text, currency text,
         amount text, submitted_date text, sla_priority boolean, sla_state text, sla_due_date text, blocker text)`,
      [
        JSON.stringify(
          ranked.map((c) => ({
            account_id: c.account_id,
            claim_id: c.claim_id,
            method: c.method,
            currency: c.currency,
            amount: c.amount,
            submitted_date: c.submitted_date,
            sla_priority: c.sla_priority,
            sla_state: c.sla_state,
            sla_due_date: c.sla_due_date,
            blocker: blocker(c),
          })),
        ),
        proposalId,
      ],
    );
    await recordAudit(tx, {
      entityType: 'payment_proposal',
      entityId: proposalId,
      accountId: '',
      action: 'created',
      after: { as_of: asOf, claims: ranked.length },
    });
    return proposalId;
  });
  return getProposal(db, id);
}

export async function listProposals(db: Db): Promise<ProposalSummary[]> {
  requireRole(db.actor, settlers);
  const { rows } = await db.query<ProposalSummary>(
    `select p.proposal_id, p.as_of, ${statusOf('$1')} as status, p.created_by, p.created_at, p.submitted_by,
       p.submitted_at, count(l.claim_id)::int as claims,
       count(l.claim_id) filter (where not l.excluded)::int as included,
       count(l.claim_id) filter (where l.excluded)::int as excluded,
       count(l.claim_id) filter (where l.blocker is not null and not l.excluded)::int as blocked
     from payment_proposals p left join payment_proposal_lines l on l.proposal_id = p.proposal_id
     group by p.proposal_id order by p.created_at desc, p.proposal_id desc limit 50`,
    [today()],
  );
  return rows;
}

export async function getProposal(db: Db, proposalId: string): Promise<PaymentProposal> {
  requireRole(db.actor, settlers);
  const { rows } = await db.query<
    Omit<PaymentProposal, 'lines' | 'batches' | 'release_limit' | 'partners' | 'totals'>
  >(
    `select p.proposal_id, p.as_of, ${proposalStatus} as status, p.created_by, p.created_at, p.submitted_by,
       p.submitted_at, p.result
     from payment_proposals p where p.proposal_id = $1`,
    [proposalId, today()],
  );
  const proposal = rows[0];
  if (!proposal) throw new AppError('not_found', `The payment proposal ${proposalId} does not exist.`);
  const { rows: partners } = await db.query<ProposalPartnerTotal>(
    `select l.method, l.account_id, a.name as partner_name, l.currency, count(*)::int as claims,
       sum(l.amount)::numeric(18, 2)::text as amount
     from payment_proposal_lines l left join accounts a on a.account_id = l.account_id
     where l.proposal_id = $1 and not l.excluded and l.blocker is null
     group by l.method, l.account_id, a.name, l.currency
     order by l.method, l.currency, a.name, l.account_id`,
    [proposalId],
  );
  const { rows: totals } = await db.query<{ currency: string; claims: number; amount: string }>(
    `select currency, count(*)::int as claims, sum(amount)::numeric(18, 2)::text as amount
     from payment_proposal_lines where proposal_id = $1 and not excluded and blocker is null
     group by currency order by currency`,
    [proposalId],
  );
  const { rows: lines } = await db.query<ProposalLine>(
    `select l.account_id, a.name as partner_name, l.claim_id, l.method, l.currency, l.amount::text as amount,
       l.submitted_date, l.sla_priority, l.sla_state, l.sla_due_date, l.blocker, l.excluded, l.exclusion_reason,
       l.excluded_by, l.excluded_at
     from payment_proposal_lines l left join accounts a on a.account_id = l.account_id
     where l.proposal_id = $1
     order by l.method, l.currency, a.name, l.account_id, l.sla_priority desc, l.claim_id`,
    [proposalId],
  );
  const limit = releaseLimitFromEnv();
  const groups = new Map<string, ProposalBatch>();
  for (const l of lines) {
    if (l.excluded || l.blocker) continue;
    const key = `${l.method}|${l.currency}|${l.sla_priority}`;
    const g = groups.get(key) ?? {
      method: l.method,
      currency: l.currency,
      sla_priority: l.sla_priority,
      claims: 0,
      amount: '0.00',
      release_required: false,
    };
    g.claims += 1;
    g.amount = new Decimal(g.amount).plus(l.amount).toFixed(2);
    g.release_required = new Decimal(g.amount).greaterThan(limit);
    groups.set(key, g);
  }
  const batches = [...groups.values()].sort(
    (a, b) =>
      Number(b.sla_priority) - Number(a.sla_priority) ||
      a.method.localeCompare(b.method) ||
      a.currency.localeCompare(b.currency),
  );
  return {
    ...proposal,
    claims: lines.length,
    included: lines.filter((l) => !l.excluded).length,
    excluded: lines.filter((l) => l.excluded).length,
    blocked: lines.filter((l) => l.blocker && !l.excluded).length,
    release_limit: limit,
    lines,
    batches,
    partners,
    totals,
  };
}

/** Refuses a change to a proposal that is submitted or expired; locks it for the change. */
async function openProposal(tx: Db, proposalId: string): Promise<{ as_of: string }> {
  const { rows } = await tx.query<{ as_of: string; status: ProposalStatus }>(
    `select p.as_of, ${proposalStatus} as status from payment_proposals p where p.proposal_id = $1 for update`,
    [proposalId, today()],
  );
  const p = rows[0];
  if (!p) throw new AppError('not_found', `The payment proposal ${proposalId} does not exist.`);
  if (p.status === 'submitted')
    throw new AppError('conflict', `Payment proposal ${proposalId} was submitted; build a new one.`);
  if (p.status === 'expired')
    throw new AppError(
      'conflict',
      `Payment proposal ${proposalId} was for ${p.as_of}, which has passed; build a new one.`,
    );
  return p;
}

export interface ExclusionInput {
  claims: ProposalClaimRef[];
  /** Why these claims are not paid now (required to exclude). */
  reason?: string;
}

/** Excludes claims from the proposal with a reason, or (excluded false) takes them back; audited. */
export async function setExclusion(
  db: Db,
  proposalId: string,
  input: ExclusionInput,
  excluded: boolean,
): Promise<PaymentProposal> {
  requireRole(db.actor, settlers);
  const reason = (input.reason ?? '').trim();
  if (excluded && reason.length === 0) throw invalid('reason', 'say why these claims are not paid now');
  if (reason.length > 500) throw invalid('reason', 'at most 500 characters');
  if (!input.claims?.length) throw invalid('claims', 'name at least one claim (account_id, claim_id)');
  await db.tx(async (tx) => {
    await openProposal(tx, proposalId);
    const { rows } = await tx.query<ProposalClaimRef>(
      `update payment_proposal_lines l set excluded = $3,
         exclusion_reason = case when $3 then $4 end, excluded_by = case when $3 then $5 end,
         excluded_at = case when $3 then now() end
       from jsonb_to_recordset($2::jsonb) as c(account_id text, claim_id text)
       where l.proposal_id = $1 and l.account_id = c.account_id and l.claim_id = c.claim_id
       returning l.account_id, l.claim_id`,
      [proposalId, JSON.stringify(input.claims), excluded, reason, tx.actor.name],
    );
    const found = new Set(rows.map((r) => `${r.account_id}\u0000${r.claim_id}`));
    const missing = input.claims.filter((c) => !found.has(`${c.account_id}\u0000${c.claim_id}`));
    if (missing.length > 0)
      throw invalid(
        'claims',
        `not in payment proposal ${proposalId}: ${missing.map((c) => `${c.claim_id} (${c.account_id})`).join(', ')}`,
      );
    await recordAudit(tx, {
      entityType: 'payment_proposal',
      entityId: proposalId,
      accountId: '',
      action: excluded ? 'claims_excluded' : 'claims_included',
      after: { claims: rows, ...(excluded ? { reason } : {}) },
    });
  });
  return getProposal(db, proposalId);
}

/**
 * Submits the proposal: the settlement runs for its payment date and exactly the claims still included. The
 * proposal is marked submitted first (a second submit answers 409); if the run fails it is open again.
 */
export async function submitProposal(
  db: Db,
  proposalId: string,
  opts: Omit<SettlementOptions, 'asOf' | 'claims' | 'proposalId'> = {},
): Promise<PaymentProposal> {
  requireRole(db.actor, settlers);
  const { as_of: asOf, lines } = await db.tx(async (tx) => {
    const p = await openProposal(tx, proposalId);
    await tx.query(
      `update payment_proposals set status = 'submitted', submitted_by = $2, submitted_at = now()
       where proposal_id = $1`,
      [proposalId, tx.actor.name],
    );
    const { rows } = await tx.query<ProposalClaimRef & { amount: string; excluded: boolean }>(
      `select account_id, claim_id, amount::text as amount, excluded from payment_proposal_lines
       where proposal_id = $1 order by account_id, claim_id`,
      [proposalId],
    );
    return { as_of: p.as_of, lines: rows };
  });
  const included = lines.filter((l) => !l.excluded);
  let result: ProposalSubmitResult;
  try {
    const run = await runSettlement(db, { ...opts, asOf, claims: included, proposalId });
    const batchIds = run.batches.map((b) => b.batch_id);
    const { rows: paid } = await db.query<ProposalClaimRef & { batch_id: string; amount: string }>(
      `select account_id, claim_id, batch_id, amount::text as amount from settlement_payments
       where batch_id = any($1) order by account_id, claim_id`,
      [batchIds],
    );
    const proposed = new Map(included.map((l) => [`${l.account_id}\u0000${l.claim_id}`, l.amount]));
    const paidKeys = new Set(paid.map((p) => `${p.account_id}\u0000${p.claim_id}`));
    const unpaid = new Map(run.unpaid.map((u) => [`${u.account_id}\u0000${u.claim_id}`, u.reason]));
    result = {
      batches: run.batches,
      paid: paid.map((p) => ({
        ...p,
        proposed_amount: proposed.get(`${p.account_id}\u0000${p.claim_id}`) ?? '',
      })),
      not_paid: included
        .filter((l) => !paidKeys.has(`${l.account_id}\u0000${l.claim_id}`))
        .map((l) => ({
          account_id: l.account_id,
          claim_id: l.claim_id,
          reason:
            unpaid.get(`${l.account_id}\u0000${l.claim_id}`) ??
            'paid meanwhile (by another run or a deduction), or no longer approved: not paid again',
        })),
      excluded: lines.length - included.length,
    };
  } catch (err) {
    await db.query(
      `update payment_proposals set status = 'open', submitted_by = null, submitted_at = null
       where proposal_id = $1 and result is null`,
      [proposalId],
    );
    throw err;
  }
  await db.tx(async (tx) => {
    await tx.query('update payment_proposals set result = $2 where proposal_id = $1', [
      proposalId,
      JSON.stringify(result),
    ]);
    await recordAudit(tx, {
      entityType: 'payment_proposal',
      entityId: proposalId,
      accountId: '',
      action: 'submitted',
      after: {
        as_of: asOf,
        batches: result.batches.map((b) => b.batch_id),
        paid: result.paid.length,
        not_paid: result.not_paid.length,
        excluded: result.excluded,
      },
    });
  });
  return getProposal(db, proposalId);
}
