/** Programs and deals as the server sends them (see src/modules/contracts). Amounts and rates are strings. */
import type { Role } from '../identity/user';

export const programTypes = [
  'special_bid',
  'sell_out',
  'volume_tier',
  'growth',
  'price_protection',
  'mdf',
] as const;
export type ProgramType = (typeof programTypes)[number];

export const typeLabels: Record<ProgramType, string> = {
  special_bid: 'Special bid',
  sell_out: 'Sell-out',
  volume_tier: 'Volume tier',
  growth: 'Growth',
  price_protection: 'Price protection',
  mdf: 'Marketing funds (MDF)',
};

export const versionStatuses = ['draft', 'approved', 'active', 'superseded', 'withdrawn'] as const;
export type VersionStatus = (typeof versionStatuses)[number];

export const statusLabels: Record<VersionStatus, string> = {
  draft: 'Draft',
  approved: 'Approved',
  active: 'In force',
  superseded: 'Superseded',
  withdrawn: 'Withdrawn',
};

export const statusColors: Record<VersionStatus, string> = {
  draft: 'yellow',
  approved: 'blue',
  active: 'teal',
  superseded: 'gray',
  withdrawn: 'red',
};

/** The same lists the server enforces (src/modules/contracts/contract-roles.ts). */
export const programWriters: readonly Role[] = ['administrator', 'rebate_analyst', 'manager'];
export const programApprovers: readonly Role[] = ['approver', 'manager', 'administrator'];
export const programActivators: readonly Role[] = ['approver', 'manager'];

export interface Tier {
  from: string;
  rate: string;
}

export interface ProgramTerms {
  program_id: string;
  name: string;
  type: ProgramType;
  currency: string;
  country?: string;
  partners?: string[];
  start_date: string;
  end_date: string;
  claim_window_days?: string;
  eligible_skus?: string[];
  eligible_categories?: string[];
  end_customer_countries?: string[];
  budget?: string;
  required_documents?: string[];
  payment_method?: 'credit_memo' | 'ach' | 'check' | 'wire';
  sla_business_days?: string;
  per_unit_amount?: string;
  percent_of_sell_out?: string;
  basis?: 'units' | 'revenue';
  tiers?: Tier[];
  retroactive?: boolean;
  baseline?: { start_date: string; end_date: string };
  protection_window_days?: string;
  accrual_rate?: string;
}

export interface ProgramListItem {
  program_id: string;
  name: string;
  type: ProgramType;
  version: number;
  status: VersionStatus;
  currency: string;
  country: string | null;
  start_date: string;
  end_date: string;
  budget: string | null;
  claim_window_days: number | null;
  active_version: number | null;
  latest_version: number;
  latest_status: VersionStatus;
  partners: string[];
}

export interface VersionSummary {
  version: number;
  status: VersionStatus;
  name: string;
  start_date: string;
  end_date: string;
  currency: string;
  country: string | null;
  budget: string | null;
  created_by: string | null;
  created_at: string;
  approved_by: string | null;
  approved_at: string | null;
  activated_by: string | null;
  activated_at: string | null;
  superseded_at: string | null;
}

export interface ClaimAgainst {
  claim_id: string;
  account_id: string;
  status: string;
  submitted_date: string;
  amount: string;
  qty: number | null;
}

export interface EligibleProduct {
  sku: string;
  name: string;
  family: string | null;
  category: string | null;
  list_price: string | null;
  currency: string | null;
}

export interface ProgramDetail {
  program_id: string;
  name: string;
  type: ProgramType;
  active_version: number | null;
  latest_version: number;
  version: VersionSummary;
  terms: ProgramTerms;
  versions: VersionSummary[];
  enrolment: {
    every_partner_in: string | null;
    label: string;
    partners: { account_id: string; name: string | null }[];
  };
  eligible_products: {
    every_product: boolean;
    skus: string[];
    categories: string[];
    products: EligibleProduct[];
    total: number;
  };
  budget: { amount: string | null; used: string; left: string | null; currency: string };
  claims: ClaimAgainst[];
}

export type Validity = 'upcoming' | 'current' | 'expired';

export const validityLabels: Record<Validity, string> = {
  upcoming: 'Not yet valid',
  current: 'Valid',
  expired: 'Expired',
};
export const validityColors: Record<Validity, string> = {
  upcoming: 'blue',
  current: 'teal',
  expired: 'gray',
};

export interface DealItem {
  deal_id: string;
  account_id: string;
  account_name: string | null;
  program_id: string;
  program_name: string | null;
  end_customer_id: string | null;
  end_customer_name: string | null;
  sku: string;
  product_name: string | null;
  authorized_unit_amount: string;
  currency: string;
  max_qty: number;
  used_qty: number;
  left_qty: number;
  start_date: string;
  end_date: string;
  validity: Validity;
}

export interface DealDetail extends DealItem {
  program: { program_id: string; name: string; type: ProgramType; active_version: number | null } | null;
  authorized_amount: string;
  left_amount: string;
  claims: ClaimAgainst[];
  created_at: string;
  updated_at: string;
}

/**
 * A fraction as a percentage, by moving the decimal point in the text (no float): "0.025" → "2.5 %".
 */
export function percent(fraction: string | null | undefined): string {
  if (!fraction || !/^\d+(\.\d+)?$/.test(fraction)) return fraction ?? '';
  const [whole = '0', decimals = ''] = fraction.split('.');
  const padded = decimals.padEnd(2, '0');
  const integer = `${whole}${padded.slice(0, 2)}`.replace(/^0+(?=\d)/, '');
  const rest = padded.slice(2).replace(/0+$/, '');
  return `${rest ? `${integer}.${rest}` : integer} %`;
}

export const paymentMethodLabels: Record<string, string> = {
  credit_memo: 'Credit memo',
  ach: 'ACH transfer',
  check: 'Check',
  wire: 'Wire transfer',
};

export function programPath(programId: string, version?: number): string {
  const base = `/programs/${encodeURIComponent(programId)}`;
  return version === undefined ? base : `${base}?version=${version}`;
}

export function dealPath(dealId: string): string {
  return `/deals/${encodeURIComponent(dealId)}`;
}

/** Today's date where the reader is, as the server's business dates are written. */
export function localToday(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}
