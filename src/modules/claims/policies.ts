/**
 * Policies (RULES.md "Policies"): effective-dated settings per country or per customer. Validation applies
 * the policy in force on a claim's submitted date (inputs.ts, ledger.ts); the SLA takes its target from it;
 * settlement pays only by the payment methods it allows; overrides of the rules it lists need an approver.
 * Administered here (and by policies.csv); every change re-validates the claims (like contract data).
 */
import { z } from 'zod';
import { isCountryCode } from '../../core/codes.ts';
import { isBusinessDate } from '../../core/dates.ts';
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { requireInternal, requireRole } from '../identity/index.ts';
import { recordAudit } from '../platform/index.ts';
import { disableableRules } from './rule-codes.ts';

export const policyScopes = ['country', 'account'] as const;
export type PolicyScope = (typeof policyScopes)[number];

/** Who sets policies: the company's management. */
export const policyAdministrators = ['administrator', 'manager'] as const;

const ruleList = z
  .array(
    z.enum(disableableRules as [string, ...string[]], { error: `must be rule codes of the claims rules` }),
  )
  .max(50);
const methods = ['credit_memo', 'ach', 'check', 'wire'] as const;

/** The fields of a policy; null or absent leaves the field to the country's policy or the program. */
export const policyInput = z.object({
  disabled_rules: ruleList.nullable().optional(),
  late_grace_days: z.number().int().min(0).max(3650).nullable().optional(),
  required_documents: z.array(z.string().trim().min(1).max(60)).max(20).nullable().optional(),
  sla_business_days: z.number().int().min(1).max(365).nullable().optional(),
  payment_methods: z.array(z.enum(methods)).min(1).max(4).nullable().optional(),
  override_approval_rules: ruleList.nullable().optional(),
  note: z.string().trim().max(2000).nullable().optional(),
});
export type PolicyInput = z.input<typeof policyInput>;

export interface PolicyKey {
  scope: string;
  scope_id: string;
  effective_date: string;
}

export interface Policy {
  scope: PolicyScope;
  scope_id: string;
  /** The account's name, or the country code. */
  scope_name: string;
  effective_date: string;
  disabled_rules: string[] | null;
  late_grace_days: number | null;
  required_documents: string[] | null;
  sla_business_days: number | null;
  payment_methods: string[] | null;
  override_approval_rules: string[] | null;
  note: string | null;
  updated_at: string;
  updated_by: string | null;
  /** Open and decided claims whose latest validation applied this policy. */
  claims_count: number;
}

const columns = `p.scope, p.scope_id, coalesce(a.name, p.scope_id) as scope_name, p.effective_date::text,
  p.disabled_rules, p.late_grace_days, p.required_documents, p.sla_business_days, p.payment_methods,
  p.override_approval_rules, p.note, p.updated_at, p.updated_by,
  (select count(*)::int from claims c where case when p.scope = 'account'
     then c.account_id = p.scope_id and c.policy_account_date = p.effective_date
     else c.policy_country_date = p.effective_date
       and c.account_id in (select x.account_id from accounts x where x.country = p.scope_id) end) as claims_count`;

function checkKey(key: PolicyKey): { scope: PolicyScope; scope_id: string; effective_date: string } {
  if (!(policyScopes as readonly string[]).includes(key.scope))
    throw new AppError('bad_request', `scope ${key.scope} is not country or account.`);
  if (!isBusinessDate(key.effective_date))
    throw new AppError('bad_request', `effective_date ${key.effective_date} is not a date (YYYY-MM-DD).`);
  const scopeId = key.scope === 'country' ? key.scope_id.toUpperCase() : key.scope_id;
  if (key.scope === 'country' && !isCountryCode(scopeId))
    throw new AppError('bad_request', `${key.scope_id} is not an ISO 3166-1 alpha-2 country code.`);
  return { scope: key.scope as PolicyScope, scope_id: scopeId, effective_date: key.effective_date };
}

export async function listPolicies(db: Db, q: { scope?: string; scope_id?: string } = {}): Promise<Policy[]> {
  requireInternal(db.actor);
  const { rows } = await db.query<Policy>(
    `select ${columns} from policies p left join accounts a on p.scope = 'account' and a.account_id = p.scope_id
     where ($1::text is null or p.scope = $1) and ($2::text is null or p.scope_id = $2)
     order by p.scope, p.scope_id, p.effective_date desc`,
    [q.scope ?? null, q.scope_id ?? null],
  );
  return rows;
}

export interface PolicyClaim {
  account_id: string;
  claim_id: string;
  submitted_date: string;
  status: string;
  program_id: string;
}

/** One policy with the claims its rules touch (the latest validation applied it), newest first. */
export async function getPolicy(
  db: Db,
  key: PolicyKey,
  opts: { limit?: number } = {},
): Promise<Policy & { claims: PolicyClaim[] }> {
  requireInternal(db.actor);
  const k = checkKey(key);
  const { rows } = await db.query<Policy>(
    `select ${columns} from policies p left join accounts a on p.scope = 'account' and a.account_id = p.scope_id
     where p.scope = $1 and p.scope_id = $2 and p.effective_date = $3`,
    [k.scope, k.scope_id, k.effective_date],
  );
  const policy = rows[0];
  if (!policy)
    throw new AppError(
      'not_found',
      `There is no ${k.scope} policy for ${k.scope_id} from ${k.effective_date}.`,
    );
  const { rows: claims } = await db.query<PolicyClaim>(
    `select c.account_id, c.claim_id, c.submitted_date::text, c.status, c.program_id from claims c
     where case when $1 = 'account' then c.account_id = $2 and c.policy_account_date = $3::date
       else c.policy_country_date = $3::date and c.account_id in (select x.account_id from accounts x where x.country = $2) end
     order by c.submitted_date desc, c.claim_id limit $4`,
    [k.scope, k.scope_id, k.effective_date, Math.min(opts.limit ?? 200, 1000)],
  );
  return { ...policy, claims };
}

/** Creates or replaces one policy; the claims are validated again (queued). */
export async function savePolicy(db: Db, key: PolicyKey, raw: PolicyInput): Promise<Policy> {
  requireRole(db.actor, policyAdministrators);
  const k = checkKey(key);
  const input = policyInput.parse(raw);
  const saved = await db.tx(async (tx) => {
    if (k.scope === 'account') {
      const { rowCount } = await tx.query('select 1 from accounts where account_id = $1', [k.scope_id]);
      if (!rowCount) throw new AppError('not_found', `There is no account ${k.scope_id}.`);
    }
    const before = await tx.query(
      'select * from policies where scope = $1 and scope_id = $2 and effective_date = $3',
      [k.scope, k.scope_id, k.effective_date],
    );
    const { rows } = await tx.query(
      `insert into policies as p (scope, scope_id, effective_date, disabled_rules, late_grace_days, required_documents,
         sla_business_days, payment_methods, override_approval_rules, note, updated_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       on conflict (scope, scope_id, effective_date) do update set disabled_rules = excluded.disabled_rules,
         late_grace_days = excluded.late_grace_days, required_documents = excluded.required_documents,
         sla_business_days = excluded.sla_business_days, payment_methods = excluded.payment_methods,
         override_approval_rules = excluded.override_approval_rules, note = excluded.note,
         updated_by = excluded.updated_by, updated_at = now()
       returning *`,
      [
        k.scope,
        k.scope_id,
        k.effective_date,
        input.disabled_rules ?? null,
        input.late_grace_days ?? null,
        input.required_documents ?? null,
        input.sla_business_days ?? null,
        input.payment_methods ?? null,
        input.override_approval_rules ?? null,
        input.note ?? null,
        tx.actor.name,
      ],
    );
    await recordAudit(tx, {
      entityType: 'policy',
      entityId: `${k.scope}:${k.scope_id}:${k.effective_date}`,
      accountId: k.scope === 'account' ? k.scope_id : '',
      action: before.rows[0] ? 'updated' : 'created',
      before: before.rows[0] ?? null,
      after: rows[0],
    });
    return getPolicy(tx, k);
  });
  await (await import('./jobs.ts')).requestValidation(db);
  return saved;
}

export async function deletePolicy(db: Db, key: PolicyKey): Promise<void> {
  requireRole(db.actor, policyAdministrators);
  const k = checkKey(key);
  await db.tx(async (tx) => {
    const { rows } = await tx.query(
      'delete from policies where scope = $1 and scope_id = $2 and effective_date = $3 returning *',
      [k.scope, k.scope_id, k.effective_date],
    );
    if (!rows[0])
      throw new AppError(
        'not_found',
        `There is no ${k.scope} policy for ${k.scope_id} from ${k.effective_date}.`,
      );
    await recordAudit(tx, {
      entityType: 'policy',
      entityId: `${k.scope}:${k.scope_id}:${k.effective_date}`,
      accountId: k.scope === 'account' ? k.scope_id : '',
      action: 'deleted',
      before: rows[0],
    });
  });
  await (await import('./jobs.ts')).requestValidation(db);
}

/** The policies a claim's latest validation applied (kept on the claim), with the fields in force. */
export async function appliedPolicy(
  tx: Db,
  accountId: string,
  claimId: string,
): Promise<{
  country: { scope_id: string; effective_date: string } | null;
  account: { scope_id: string; effective_date: string } | null;
  disabled_rules: string[] | null;
  late_grace_days: number | null;
  required_documents: string[] | null;
  sla_business_days: number | null;
  payment_methods: string[] | null;
} | null> {
  const { rows } = await tx.query<{
    country: string | null;
    country_date: string | null;
    account_date: string | null;
    disabled_rules: string[] | null;
    late_grace_days: number | null;
    required_documents: string[] | null;
    sla_business_days: number | null;
    payment_methods: string[] | null;
  }>(
    `select a.country, c.policy_country_date::text as country_date, c.policy_account_date::text as account_date,
       coalesce(ap.disabled_rules, cp.disabled_rules) as disabled_rules,
       coalesce(ap.late_grace_days, cp.late_grace_days) as late_grace_days,
       coalesce(ap.required_documents, cp.required_documents) as required_documents,
       coalesce(ap.sla_business_days, cp.sla_business_days) as sla_business_days,
       coalesce(ap.payment_methods, cp.payment_methods) as payment_methods
     from claims c join accounts a on a.account_id = c.account_id
     left join policies cp on cp.scope = 'country' and cp.scope_id = a.country
       and cp.effective_date = c.policy_country_date
     left join policies ap on ap.scope = 'account' and ap.scope_id = c.account_id
       and ap.effective_date = c.policy_account_date
     where c.account_id = $1 and c.claim_id = $2
       and (c.policy_country_date is not null or c.policy_account_date is not null)`,
    [accountId, claimId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    country: r.country_date ? { scope_id: r.country!, effective_date: r.country_date } : null,
    account: r.account_date ? { scope_id: accountId, effective_date: r.account_date } : null,
    disabled_rules: r.disabled_rules,
    late_grace_days: r.late_grace_days,
    required_documents: r.required_documents,
    sla_business_days: r.sla_business_days,
    payment_methods: r.payment_methods,
  };
}
