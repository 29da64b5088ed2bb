/** Policies per country and customer (RULES.md "Policies") as the server sends them (src/modules/claims/policies.ts). */
import type { Role } from '../identity/user';

export type { Policy, PolicyClaim, PolicyInput } from '../../../../src/modules/claims/index.ts';

/** Who sets policies (src/modules/claims/policies.ts policyAdministrators); every desk user reads them. */
export const policyAdministrators: readonly Role[] = ['administrator', 'manager'];

export const policyMethods = [
  { value: 'credit_memo', label: 'Credit memo' },
  { value: 'ach', label: 'ACH' },
  { value: 'check', label: 'Check' },
  { value: 'wire', label: 'Wire' },
];

export interface PolicyKey {
  scope: 'country' | 'account';
  scope_id: string;
  effective_date: string;
}

export const policyPath = (k: PolicyKey) =>
  `/api/policies/${k.scope}/${encodeURIComponent(k.scope_id)}/${k.effective_date}`;
