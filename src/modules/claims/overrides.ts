/**
 * Approvers approve overrides (SPEC.md: "approver / manager approves adjustments, write-offs, overrides"). An
 * analyst's override or adjustment of a finding whose rule needs approval in the partner's country (the
 * administered list `override_approval_rules`, default `*`: the rejecting rules of RULES.md) lifts the
 * finding's effect on the line at once, but the claim cannot be approved until a user with the approver or
 * manager role, other than the one who resolved the finding, approves the override. Enforced where claims
 * are approved (`decisions.ts`), so the API, the CLI and jobs obey alike.
 */
import { isCountryCode } from '../../core/codes.ts';
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { requireRole } from '../identity/index.ts';
import { recordAudit } from '../platform/index.ts';
import { type ClaimKey, claimIdOf } from './claim-ref.ts';
import { decidedStatuses } from './inputs.ts';
import { lockClaim } from './resolve.ts';

import { ruleCatalogue } from './rule-codes.ts';

export { ruleCatalogue };

/** Who approves an override: SPEC.md's approver / manager. */
export const overrideApprovers = ['approver', 'manager'] as const;

/** Who administers which rules need an approver. */
const ruleAdministrators = ['administrator'] as const;

/**
 * SQL over a finding `f`: its override (or adjustment) waits for an approver. One expression, used by the
 * claim page, the decisions and the approval itself.
 */
export const overridePendingSql = (f: string) =>
  `(${f}.resolution in ('overridden', 'adjusted') and ${f}.override_approved_at is null
    and override_needs_approval(${f}.account_id, ${f}.rule_code))`;

/** SQL over a finding `f`: its override needs (or needed) an approver. */
export const overrideNeedsApprovalSql = (f: string) =>
  `(${f}.resolution in ('overridden', 'adjusted') and override_needs_approval(${f}.account_id, ${f}.rule_code))`;

export interface OverrideApproval {
  claim_id: string;
  account_id: string;
  line_no: number;
  rule_code: string;
  resolution: string;
  resolved_by: string | null;
  override_approved_by: string;
  override_approved_at: string;
}

/**
 * An approver (or manager) approves the override of one finding. The analyst who resolved the finding
 * cannot approve it; a finding whose resolution needs no approval, or is approved already, is refused
 * with the reason.
 */
export async function approveOverride(
  db: Db,
  key: ClaimKey,
  lineNo: number,
  ruleCode: string,
): Promise<OverrideApproval> {
  requireRole(db.actor, overrideApprovers);
  const claimId = claimIdOf(key);
  return db.tx(async (tx) => {
    const claim = await lockClaim(tx, key);
    if (decidedStatuses.includes(claim.status)) {
      throw new AppError(
        'conflict',
        `Claim ${claimId} is ${claim.status.replace('_', ' ')}; its overrides can no longer be approved.`,
      );
    }
    const { rows } = await tx.query<{
      resolution: string | null;
      resolved_by: string | null;
      resolved_by_id: string | null;
      override_approved_by: string | null;
      needs: boolean;
    }>(
      `select f.resolution, f.resolved_by, f.resolved_by_id, f.override_approved_by,
         ${overrideNeedsApprovalSql('f')} as needs
       from claim_findings f
       where f.account_id = $1 and f.claim_id = $2 and f.line_no = $3 and f.rule_code = $4 for update of f`,
      [claim.account_id, claimId, lineNo, ruleCode],
    );
    const finding = rows[0];
    if (!finding) {
      throw new AppError('not_found', `Line ${lineNo} of claim ${claimId} has no finding ${ruleCode}.`);
    }
    if (!finding.needs) {
      throw new AppError(
        'conflict',
        finding.resolution === 'overridden' || finding.resolution === 'adjusted'
          ? `The ${finding.resolution === 'adjusted' ? 'adjustment' : 'override'} of ${ruleCode} needs no approval.`
          : `${ruleCode} on line ${lineNo} is not overridden; there is nothing to approve.`,
      );
    }
    if (finding.override_approved_by) {
      throw new AppError(
        'conflict',
        `The override of ${ruleCode} on line ${lineNo} was approved by ${finding.override_approved_by} already.`,
      );
    }
    const sameUser =
      finding.resolved_by_id !== null
        ? finding.resolved_by_id === tx.actor.userId
        : finding.resolved_by === tx.actor.name;
    if (sameUser) {
      throw new AppError(
        'forbidden',
        `You resolved ${ruleCode} on line ${lineNo} yourself; another approver must approve the override.`,
      );
    }
    const updated = await tx.query<{ override_approved_at: Date }>(
      `update claim_findings set override_approved_by = $5, override_approved_by_id = $6, override_approved_at = now()
       where account_id = $1 and claim_id = $2 and line_no = $3 and rule_code = $4
       returning override_approved_at`,
      [claim.account_id, claimId, lineNo, ruleCode, tx.actor.name, tx.actor.userId],
    );
    await recordAudit(tx, {
      entityType: 'claim',
      entityId: claimId,
      accountId: claim.account_id,
      action: 'override_approved',
      before: {
        line_no: lineNo,
        rule_code: ruleCode,
        resolution: finding.resolution,
        resolved_by: finding.resolved_by,
      },
      after: { line_no: lineNo, rule_code: ruleCode, override_approved_by: tx.actor.name },
    });
    return {
      claim_id: claimId,
      account_id: claim.account_id,
      line_no: lineNo,
      rule_code: ruleCode,
      resolution: finding.resolution!,
      resolved_by: finding.resolved_by,
      override_approved_by: tx.actor.name,
      override_approved_at: updated.rows[0]!.override_approved_at.toISOString(),
    };
  });
}

/** The overrides of claims waiting for an approver, by claim (for decisions to say why a claim waits). */
export async function pendingOverrides(
  db: Db,
  claims: readonly { account_id: string; claim_id: string }[],
): Promise<Map<string, { line_no: number; rule_code: string }[]>> {
  const by = new Map<string, { line_no: number; rule_code: string }[]>();
  if (claims.length === 0) return by;
  const { rows } = await db.query<{
    account_id: string;
    claim_id: string;
    line_no: number;
    rule_code: string;
  }>(
    `select f.account_id, f.claim_id, f.line_no, f.rule_code from claim_findings f
     where (f.account_id, f.claim_id) in (select * from unnest($1::text[], $2::text[])) and ${overridePendingSql('f')}
     order by f.account_id, f.claim_id, f.line_no, f.rule_code`,
    [claims.map((c) => c.account_id), claims.map((c) => c.claim_id)],
  );
  for (const r of rows) {
    const key = `${r.account_id}\u0000${r.claim_id}`;
    const list = by.get(key) ?? [];
    list.push({ line_no: r.line_no, rule_code: r.rule_code });
    by.set(key, list);
  }
  return by;
}

export const pendingText = (list: readonly { line_no: number; rule_code: string }[]) =>
  list.map((p) => `${p.rule_code} on line ${p.line_no}`).join(', ');

// ---- administration: which rules need an approver, per country ------------------------------------------

export interface OverrideApprovalRules {
  /** An ISO country code, or `*` for every country without a list of its own. */
  country: string;
  rule_codes: string[];
  updated_by: string | null;
  updated_at: string;
}

export async function listOverrideApprovalRules(db: Db): Promise<OverrideApprovalRules[]> {
  requireRole(db.actor, [...ruleAdministrators, 'manager', 'approver', 'rebate_analyst']);
  const { rows } = await db.query<OverrideApprovalRules & { updated_at: Date }>(
    `select country, rule_codes, updated_by, updated_at from override_approval_rules
     order by country = '*' desc, country`,
  );
  return rows.map((r) => ({ ...r, updated_at: r.updated_at.toISOString() }));
}

function checkCountry(country: string): string {
  const c = country.trim().toUpperCase();
  if (c !== '*' && !isCountryCode(c)) {
    throw new AppError('validation_failed', `${country} is not an ISO country code (or * for the default).`, {
      issues: [{ field: 'country', message: 'an ISO 3166-1 alpha-2 code, or *' }],
    });
  }
  return c;
}

/** Sets the rules whose overrides need an approver in one country (or `*`, the default); audited. */
export async function setOverrideApprovalRules(
  db: Db,
  country: string,
  ruleCodes: readonly string[],
): Promise<OverrideApprovalRules> {
  requireRole(db.actor, ruleAdministrators);
  const c = checkCountry(country);
  const codes = [...new Set(ruleCodes.map((r) => r.trim().toUpperCase()).filter(Boolean))].sort();
  const unknown = codes.filter((r) => !(ruleCatalogue as readonly string[]).includes(r));
  if (unknown.length > 0) {
    throw new AppError('validation_failed', `Unknown rule code(s): ${unknown.join(', ')}.`, {
      issues: unknown.map((r) => ({ field: 'rule_codes', message: `${r} is not a rule code of RULES.md` })),
    });
  }
  return db.tx(async (tx) => {
    const before = await tx.query<{ rule_codes: string[] }>(
      'select rule_codes from override_approval_rules where country = $1 for update',
      [c],
    );
    const { rows } = await tx.query<OverrideApprovalRules & { updated_at: Date }>(
      `insert into override_approval_rules (country, rule_codes, updated_by) values ($1, $2, $3)
       on conflict (country) do update set rule_codes = excluded.rule_codes, updated_by = excluded.updated_by,
         updated_at = now()
       returning country, rule_codes, updated_by, updated_at`,
      [c, codes, tx.actor.name],
    );
    await recordAudit(tx, {
      entityType: 'override_approval_rules',
      entityId: c,
      accountId: '',
      action: before.rows[0] ? 'updated' : 'created',
      before: before.rows[0] ? { rule_codes: before.rows[0].rule_codes } : null,
      after: { rule_codes: codes },
    });
    const r = rows[0]!;
    return { ...r, updated_at: r.updated_at.toISOString() };
  });
}

/** Removes a country's own list (its claims follow the default again); the default itself stays. */
export async function deleteOverrideApprovalRules(db: Db, country: string): Promise<void> {
  requireRole(db.actor, ruleAdministrators);
  const c = checkCountry(country);
  if (c === '*') {
    throw new AppError(
      'conflict',
      'The default list (*) cannot be removed; set it to an empty list instead.',
    );
  }
  await db.tx(async (tx) => {
    const { rows } = await tx.query<{ rule_codes: string[] }>(
      'delete from override_approval_rules where country = $1 returning rule_codes',
      [c],
    );
    if (!rows[0]) throw new AppError('not_found', `There is no list of its own for ${c}.`);
    await recordAudit(tx, {
      entityType: 'override_approval_rules',
      entityId: c,
      accountId: '',
      action: 'deleted',
      before: { rule_codes: rows[0].rule_codes },
      after: null,
    });
  });
}
