/**
 * Validation of deductions (MATCHING.md "Deductions"): every undecided deduction gets its category from the
 * customer's reason code and its queue; rebate and special-bid deductions are checked against the customer's
 * claims, in order of deduction_date then deduction_id, and a valid one settles the claims it covers
 * (settle.ts). Each account is decided in its own transaction: its claims and deductions are read once, the
 * order-dependent decisions are made in memory, and the results are written set-based. A settlement run that
 * pays one of the claims meanwhile wins the claim's guard row (claim_settlements); the account is then decided
 * again and sees the claim paid.
 */
import { Decimal } from 'decimal.js';
import { isBusinessDate, today } from '../../core/dates.ts';
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { requireRole } from '../identity/index.ts';
import { recordAuditMany } from '../platform/index.ts';
import {
  claimCategories,
  type DeductionFinding,
  type DeductionValidation,
  findingWords,
} from './categories.ts';
import { routeDeductions } from './route.ts';
import { reverseDeductionSettlements, type Settlement, SettlementRace, settleClaims } from './settle.ts';

export const deductionValidators = [
  'rebate_analyst',
  'collector',
  'manager',
  'administrator',
  'sales',
  'marketing',
  'returns',
  'distribution',
  'tax',
] as const;

export interface ValidationRun {
  as_of: string;
  routed: number;
  validated: number;
  valid: number;
  partially_valid: number;
  invalid: number;
  unmatched: number;
  not_applicable: number;
  settled_claims: number;
}

export interface ValidateOptions {
  /** Only these accounts (a job after an import passes the accounts it touched). */
  accountIds?: readonly string[];
  /** The date settlements and credit memos are booked on; default today. */
  asOf?: string;
}

interface PendingDeduction {
  deduction_id: string;
  amount: string;
  currency: string;
  deduction_date: string;
  text: string;
  document_id: string | null;
  payment_ref: string | null;
}

interface ClaimState {
  claim_id: string;
  status: string;
  currency: string;
  submitted_date: string;
  decided_on: string | null;
  approved: Decimal;
  deducted: Decimal;
  paid: Decimal;
  in_payment: boolean;
}

export interface Suggestion {
  claim_ids: string[];
  amount: string;
  score: number;
}

interface Decision {
  deduction_id: string;
  validation: DeductionValidation;
  finding: DeductionFinding | null;
  finding_detail: string | null;
  claim_ids: string[];
  valid_amount: string;
  invalid_amount: string;
  suggestions: Suggestion[];
  settlements: Settlement[];
}

/** Validates every deduction not yet decided (and the unmatched ones again). */
export async function validateDeductions(db: Db, opts: ValidateOptions = {}): Promise<ValidationRun> {
  requireRole(db.actor, deductionValidators);
  const asOf = opts.asOf ?? today();
  if (!isBusinessDate(asOf)) throw new AppError('bad_request', `as of ${asOf} is not a date (YYYY-MM-DD).`);
  const accounts = opts.accountIds ? [...opts.accountIds] : null;

  const routed = await db.tx((tx) => routeDeductions(tx, accounts));
  const notApplicable = await db.tx(async (tx) => {
    const { rows } = await tx.query<{ account_id: string; deduction_id: string; category: string }>(
      `update deductions d set validation = 'not_applicable', validated_at = now(), updated_at = now()
       where d.status = 'open' and d.validation is null and d.category <> all($1)
         and ($2::text[] is null or d.account_id = any($2))
       returning d.account_id, d.deduction_id, d.category`,
      [claimCategories, accounts],
    );
    await recordAuditMany(
      tx,
      rows.map((r) => ({
        entityType: 'deduction',
        entityId: r.deduction_id,
        accountId: r.account_id,
        action: 'validated',
        after: { validation: 'not_applicable', category: r.category },
      })),
    );
    return rows.length;
  });

  const { rows: pendingAccounts } = await db.query<{ account_id: string }>(
    `select distinct d.account_id from deductions d
     where d.status = 'open' and d.category = any($1) and not d.manual
       and (d.validation is null or d.validation = 'unmatched')
       and ($2::text[] is null or d.account_id = any($2))
     order by d.account_id`,
    [claimCategories, accounts],
  );
  const run: ValidationRun = {
    as_of: asOf,
    routed,
    validated: notApplicable,
    valid: 0,
    partially_valid: 0,
    invalid: 0,
    unmatched: 0,
    not_applicable: notApplicable,
    settled_claims: 0,
  };
  for (const { account_id } of pendingAccounts) {
    const decisions = await decideAccount(db, account_id, asOf);
    for (const d of decisions) {
      run[d.validation] += 1;
      run.validated += 1;
      run.settled_claims += d.settlements.length;
    }
  }
  return run;
}

/**
 * Clears one deduction against the claims an analyst chose (the desk's "clear against a claim"): they are
 * validated as if the deduction named them.
 */
export async function clearDeductionAgainstClaims(
  db: Db,
  deductionId: string,
  claimIds: readonly string[],
  asOf: string = today(),
): Promise<Decision> {
  requireRole(db.actor, deductionValidators);
  const { rows } = await db.query<{
    account_id: string;
    status: string;
    category: string;
    valid_amount: string;
  }>('select account_id, status, category, valid_amount::text from deductions where deduction_id = $1', [
    deductionId,
  ]);
  const d = rows[0];
  if (!d) throw new AppError('not_found', `There is no deduction ${deductionId}.`);
  if (d.status !== 'open' || new Decimal(d.valid_amount).gt(0))
    throw new AppError(
      'conflict',
      `Deduction ${deductionId} is ${d.status === 'open' ? 'already cleared in part' : d.status}: it cannot be cleared against claims again.`,
    );
  if (claimIds.length === 0) throw new AppError('bad_request', 'Name at least one claim to clear against.');
  const decisions = await decideAccount(db, d.account_id, asOf, { deductionId, claimIds: [...claimIds] });
  const decided = decisions.find((x) => x.deduction_id === deductionId);
  if (!decided) throw new AppError('conflict', `Deduction ${deductionId} is no longer open.`);
  return decided;
}

interface ForcedClaims {
  deductionId: string;
  claimIds: string[];
}

async function decideAccount(
  db: Db,
  accountId: string,
  asOf: string,
  forced?: ForcedClaims,
): Promise<Decision[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.tx((tx) => decideAccountOnce(tx, accountId, asOf, forced));
    } catch (err) {
      const code = (err as { code?: string }).code;
      const retry = err instanceof SettlementRace || code === '40P01' || code === '40001';
      if (!retry || attempt >= 8) throw err;
    }
  }
}

async function decideAccountOnce(
  tx: Db,
  accountId: string,
  asOf: string,
  forced: ForcedClaims | undefined,
): Promise<Decision[]> {
  // One validation of an account at a time (several workers may run the job at once).
  await tx.query(`select pg_advisory_xact_lock(hashtext('clearhouse.deductions.' || $1))`, [accountId]);
  const { rows: pending } = await tx.query<PendingDeduction>(
    `select d.deduction_id, d.amount::text, d.currency, d.deduction_date::text, d.document_id, d.payment_ref,
       concat_ws(' ', d.reference, b.customer_reference, b.text,
         (select string_agg(r.document_id, ' ') from cash_remittances r where r.payment_ref = d.payment_ref)
       ) as text
     from deductions d left join bank_credits b on b.payment_ref = d.payment_ref
     where d.account_id = $1 and d.status = 'open' and d.valid_amount = 0
       and (($2::text is null and d.category = any($3) and not d.manual
           and (d.validation is null or d.validation = 'unmatched'))
         or d.deduction_id = $2)
     order by d.deduction_date, d.deduction_id`,
    [accountId, forced?.deductionId ?? null, claimCategories],
  );
  if (pending.length === 0) return [];

  const tokensOf = new Map(pending.map((p) => [p.deduction_id, tokenize(p.text)]));
  const allTokens = [...new Set([...tokensOf.values()].flat().map((t) => t.toUpperCase()))];
  if (forced) allTokens.push(...forced.claimIds.map((c) => c.toUpperCase()));
  const { rows: claimRows } = await tx.query<{
    claim_id: string;
    status: string;
    currency: string;
    submitted_date: string;
    decided_on: string | null;
    approved: string;
    deducted: string;
    paid: string;
    in_payment: boolean;
  }>(
    `select c.claim_id, c.status, c.currency, c.submitted_date::text, (c.decided_at at time zone 'UTC')::date::text as decided_on,
       coalesce((select sum(l.approved_amount) from claim_lines l
         where l.account_id = c.account_id and l.claim_id = c.claim_id), 0)::text as approved,
       coalesce(s.deducted_amount, 0)::text as deducted, coalesce(s.paid_amount, 0)::text as paid,
       exists (select 1 from settlement_payments p where p.account_id = c.account_id
         and p.claim_id = c.claim_id and p.status <> 'reversed') as in_payment
     from claims c left join claim_settlements s on s.account_id = c.account_id and s.claim_id = c.claim_id
     where c.account_id = $1
       and (upper(c.claim_id) = any($2) or c.status in ('approved', 'partially_approved'))`,
    [accountId, allTokens],
  );
  const claims = new Map<string, ClaimState>(
    claimRows.map((c) => [
      c.claim_id.toUpperCase(),
      {
        ...c,
        approved: new Decimal(c.approved),
        deducted: new Decimal(c.deducted),
        paid: new Decimal(c.paid),
      },
    ]),
  );
  const { rows: prefixRows } = await tx.query<{ prefix: string }>(
    `select distinct regexp_replace(upper(claim_id), '[0-9]+$', '') as prefix from claims
     where account_id = $1 and claim_id ~ '[^0-9][0-9]{2,}$'`,
    [accountId],
  );
  const prefixes = new Set(prefixRows.map((r) => r.prefix));
  const { rows: docRows } = await tx.query<{ id: string }>(
    `select upper(document_id) as id from ar_documents where document_id = any($1)
     union select upper(payment_id) from ar_payments where payment_id = any($1)`,
    [[...new Set([...tokensOf.values()].flat())]],
  );
  const documentIds = new Set(docRows.map((r) => r.id));

  const decisions: Decision[] = [];
  for (const p of pending) {
    const named =
      forced && forced.deductionId === p.deduction_id
        ? forced.claimIds
        : namedClaims(tokensOf.get(p.deduction_id) ?? [], claims, prefixes, documentIds, p);
    decisions.push(decide(p, named, claims));
  }
  await writeDecisions(tx, accountId, pending, decisions, asOf);
  return decisions;
}

/** The words of a reference or remittance text. */
export function tokenize(text: string): string[] {
  return text
    .split(/[\s,;:()[\]{}"'<>|+*\\=]+/)
    .map((t) => t.replace(/^[#.]+|[.#]+$/g, ''))
    .filter((t) => t.length > 0);
}

const claimWords = new Set(['CLAIM', 'CLAIMS', 'CLM', 'CLAIMID', 'CLAIM#', 'CLAIMNO', 'REBATE-CLAIM']);
const claimShape = /^(C|CL|CLM|CLAIM)[-_#]?\d+$/i;

/** The claims a deduction names: its own claims by id, and words that read as claim ids. */
function namedClaims(
  tokens: readonly string[],
  claims: ReadonlyMap<string, ClaimState>,
  prefixes: ReadonlySet<string>,
  documentIds: ReadonlySet<string>,
  p: PendingDeduction,
): string[] {
  const named: string[] = [];
  const seen = new Set<string>();
  const own = new Set(
    [p.document_id, p.payment_ref, p.deduction_id].filter(Boolean).map((x) => x!.toUpperCase()),
  );
  tokens.forEach((token, i) => {
    const t = token.toUpperCase();
    if (seen.has(t) || own.has(t)) return;
    const afterWord = i > 0 && claimWords.has(tokens[i - 1]!.toUpperCase()) && /\d/.test(t);
    const shaped =
      !documentIds.has(t) &&
      (claimShape.test(t) || (/\d{2,}$/.test(t) && prefixes.has(t.replace(/\d+$/, ''))));
    if (claims.has(t) || afterWord || shaped) {
      seen.add(t);
      named.push(claims.get(t)?.claim_id ?? token);
    }
  });
  return named;
}

const zero = new Decimal(0);

function unsettled(c: ClaimState): Decimal {
  return c.approved.minus(c.deducted).minus(c.paid);
}

function payable(c: ClaimState): boolean {
  return (c.status === 'approved' || c.status === 'partially_approved') && !c.in_payment && c.paid.isZero();
}

function findingOf(c: ClaimState | undefined): DeductionFinding | null {
  if (!c) return 'CLAIM_NOT_FOUND';
  if (['in_payment', 'paid', 'closed'].includes(c.status) || c.in_payment || c.paid.gt(0))
    return 'CLAIM_ALREADY_PAID';
  if (c.status !== 'approved' && c.status !== 'partially_approved') return 'CLAIM_NOT_APPROVED';
  if (unsettled(c).lte(0)) return 'CLAIM_ALREADY_PAID';
  return null;
}

function decide(p: PendingDeduction, named: readonly string[], claims: Map<string, ClaimState>): Decision {
  const amount = new Decimal(p.amount);
  const base = {
    deduction_id: p.deduction_id,
    finding_detail: null,
    suggestions: [] as Suggestion[],
    settlements: [] as Settlement[],
  };
  let chosen: ClaimState[];
  if (named.length > 0) {
    for (const id of named) {
      const c = claims.get(id.toUpperCase());
      // A claim in another currency cannot be settled by this deduction: it is not found in its currency.
      const finding = c && c.currency !== p.currency ? 'CLAIM_NOT_FOUND' : findingOf(c);
      if (finding)
        return {
          ...base,
          validation: 'invalid',
          finding,
          finding_detail: findingWords(finding, [c?.claim_id ?? id]),
          claim_ids: [...named].sort(),
          valid_amount: '0',
          invalid_amount: amount.toFixed(2),
        };
    }
    chosen = named.map((id) => claims.get(id.toUpperCase())!);
  } else {
    const candidates = [...claims.values()]
      .filter((c) => payable(c) && c.currency === p.currency && unsettled(c).gt(0))
      .sort(byAge);
    const fit = matchByAmount(amount, candidates);
    if (!fit.match)
      return {
        ...base,
        validation: 'unmatched',
        finding: null,
        claim_ids: [],
        valid_amount: '0',
        invalid_amount: '0',
        suggestions: fit.suggestions,
      };
    chosen = fit.match;
  }

  // Settle oldest claim first, up to the deduction's amount.
  let left = amount;
  const settlements: Settlement[] = [];
  for (const c of [...chosen].sort(byAge)) {
    if (left.lte(0)) break;
    const take = Decimal.min(left, unsettled(c));
    if (take.lte(0)) continue;
    settlements.push({
      claim_id: c.claim_id,
      amount: take.toFixed(),
      approved: c.approved.toFixed(),
      fully: take.eq(unsettled(c)),
      paid_on: [p.deduction_date, c.decided_on ?? p.deduction_date].sort().at(-1)!,
    });
    c.deducted = c.deducted.plus(take);
    left = left.minus(take);
  }
  const valid = amount.minus(left);
  const claimIds = chosen.map((c) => c.claim_id).sort();
  if (left.gt(0))
    return {
      ...base,
      validation: 'partially_valid',
      finding: 'EXCEEDS_APPROVED',
      finding_detail: findingWords('EXCEEDS_APPROVED', claimIds),
      claim_ids: claimIds,
      valid_amount: valid.toFixed(2),
      invalid_amount: left.toFixed(2),
      settlements,
    };
  return {
    ...base,
    validation: 'valid',
    finding: null,
    claim_ids: claimIds,
    valid_amount: valid.toFixed(2),
    invalid_amount: '0',
    settlements,
  };
}

function byAge(a: ClaimState, b: ClaimState): number {
  return a.submitted_date.localeCompare(b.submitted_date) || a.claim_id.localeCompare(b.claim_id);
}

/** Amounts in ten-thousandths, as integers: sums of two and three are exact and fast. */
function units(d: Decimal): bigint {
  return BigInt(d.times(10000).toFixed(0));
}

const maxSetCandidates = 3000;

/**
 * Exactly one claim whose unsettled amount equals the deduction, else exactly one set of two or three whose
 * amounts add up to it; otherwise no match, with up to five suggestions.
 */
export function matchByAmount(
  amount: Decimal,
  candidates: readonly ClaimState[],
): { match: ClaimState[] | null; suggestions: Suggestion[] } {
  const target = units(amount);
  const values = candidates.map((c) => units(unsettled(c)));
  const singles = candidates.filter((_, i) => values[i] === target);
  if (singles.length === 1) return { match: singles, suggestions: [] };
  const found: ClaimState[][] = singles.length > 1 ? singles.map((c) => [c]) : [];
  if (singles.length === 0) {
    const idx = candidates
      .map((_, i) => i)
      .filter((i) => values[i]! < target)
      .slice(0, maxSetCandidates);
    const byValue = new Map<bigint, number[]>();
    for (const i of idx) byValue.set(values[i]!, [...(byValue.get(values[i]!) ?? []), i]);
    // pairs
    for (const i of idx) {
      for (const j of byValue.get(target - values[i]!) ?? []) {
        if (j > i) found.push([candidates[i]!, candidates[j]!]);
        if (found.length > 1) break;
      }
      if (found.length > 1) break;
    }
    // triples, only when no pair decided it
    if (found.length === 0) {
      outer: for (let a = 0; a < idx.length; a++) {
        const i = idx[a]!;
        for (let b = a + 1; b < idx.length; b++) {
          const j = idx[b]!;
          const need = target - values[i]! - values[j]!;
          if (need <= 0n) continue;
          for (const k of byValue.get(need) ?? []) {
            if (k > j) found.push([candidates[i]!, candidates[j]!, candidates[k]!]);
            if (found.length > 1) break outer;
          }
        }
      }
    }
    if (found.length === 1) return { match: found[0]!, suggestions: [] };
  }
  // No single answer: suggest the fitting sets first, then the closest single claims.
  const suggestions: Suggestion[] = found.slice(0, 5).map((set) => ({
    claim_ids: set.map((c) => c.claim_id).sort(),
    amount: set.reduce((s, c) => s.plus(unsettled(c)), zero).toFixed(2),
    score: 0.9,
  }));
  const closest = candidates
    .map((c) => ({ c, diff: unsettled(c).minus(amount).abs() }))
    .sort((x, y) => x.diff.comparedTo(y.diff) || byAge(x.c, y.c))
    .slice(0, 5);
  for (const { c, diff } of closest) {
    if (suggestions.length >= 5) break;
    if (suggestions.some((s) => s.claim_ids.length === 1 && s.claim_ids[0] === c.claim_id)) continue;
    const score = Decimal.max(0, new Decimal(1).minus(diff.div(amount)))
      .times(0.8)
      .toDecimalPlaces(2)
      .toNumber();
    suggestions.push({ claim_ids: [c.claim_id], amount: unsettled(c).toFixed(2), score });
  }
  return { match: null, suggestions };
}

async function writeDecisions(
  tx: Db,
  accountId: string,
  pending: readonly PendingDeduction[],
  decisions: readonly Decision[],
  asOf: string,
): Promise<void> {
  const byId = new Map(pending.map((p) => [p.deduction_id, p]));
  await settleClaims(
    tx,
    accountId,
    decisions.flatMap((d) =>
      d.settlements.map((s) => ({
        ...s,
        deduction_id: d.deduction_id,
        currency: byId.get(d.deduction_id)!.currency,
      })),
    ),
    asOf,
  );
  await tx.query(
    `update deductions d set validation = x.validation, finding = x.finding, finding_detail = x.finding_detail,
       claim_ids = x.claim_ids, valid_amount = x.valid_amount::numeric, invalid_amount = x.invalid_amount::numeric,
       suggestions = x.suggestions, validated_at = now(), updated_at = now(),
       status = case when x.validation = 'valid' then 'cleared' else d.status end,
       resolved_on = case when x.validation = 'valid' then $3::date else d.resolved_on end
     from jsonb_to_recordset($2::jsonb) as x(deduction_id text, validation text, finding text, finding_detail text,
       claim_ids text[], valid_amount text, invalid_amount text, suggestions jsonb)
     where d.account_id = $1 and d.deduction_id = x.deduction_id`,
    [accountId, JSON.stringify(decisions), asOf],
  );
  await recordAuditMany(
    tx,
    decisions.map((d) => ({
      entityType: 'deduction',
      entityId: d.deduction_id,
      accountId,
      action: 'validated',
      after: {
        validation: d.validation,
        finding: d.finding,
        claim_ids: d.claim_ids,
        valid_amount: d.valid_amount,
        invalid_amount: d.invalid_amount,
        settled: d.settlements.map((s) => ({ claim_id: s.claim_id, amount: s.amount })),
      },
    })),
  );
}

/** Reverses what a deduction settled and leaves it open for a person (see reverseDeductionSettlements). */
export async function reopenDeduction(
  db: Db,
  deductionId: string,
  input: { reason: string; as_of?: string | undefined },
): Promise<{ deduction_id: string; claims_released: string[] }> {
  requireRole(db.actor, deductionValidators);
  const on = input.as_of ?? today();
  if (!isBusinessDate(on)) throw new AppError('bad_request', `as_of ${on} is not a date (YYYY-MM-DD).`);
  return db.tx(async (tx) => {
    const { rows } = await tx.query<{ account_id: string; status: string }>(
      'select account_id, status from deductions where deduction_id = $1 for update',
      [deductionId],
    );
    const d = rows[0];
    if (!d) throw new AppError('not_found', `There is no deduction ${deductionId}.`);
    await tx.query(`select pg_advisory_xact_lock(hashtext('clearhouse.deductions.' || $1))`, [d.account_id]);
    if (!['open', 'cleared'].includes(d.status))
      throw new AppError(
        'conflict',
        `Deduction ${deductionId} is ${d.status}: only an open or cleared one is reopened.`,
      );
    const released = await reverseDeductionSettlements(tx, deductionId, input.reason, on);
    if (released.length === 0)
      throw new AppError(
        'conflict',
        `Deduction ${deductionId} has settled no claim: there is nothing to reverse.`,
      );
    return { deduction_id: deductionId, claims_released: released };
  });
}
