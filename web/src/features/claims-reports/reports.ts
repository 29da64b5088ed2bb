/** The claim log, SLA alerts and partner scorecard as the API returns them, with the words the pages use. */

import { currentLocale } from '../../ui/locale';
import { formatNumber } from '../../ui/money';
import type { ClaimStatus } from '../claims/claim';

export const slaStates = ['on_track', 'due_soon', 'breached', 'met', 'missed'] as const;
export type SlaState = (typeof slaStates)[number];

export const slaStateLabels: Record<SlaState, string> = {
  on_track: 'On track',
  due_soon: 'Due soon',
  breached: 'Breached',
  met: 'Met',
  missed: 'Missed',
};

export const slaStateColors: Record<SlaState, string> = {
  on_track: 'green',
  due_soon: 'yellow',
  breached: 'red',
  met: 'teal',
  missed: 'orange',
};

export interface ClaimLogItem {
  claim_id: string;
  account_id: string;
  partner_name: string | null;
  country: string | null;
  program_id: string;
  program_name: string | null;
  status: ClaimStatus;
  urgent: boolean;
  currency: string;
  submitted_date: string;
  validated_date: string | null;
  decided_date: string | null;
  /** The payment date, which closes the SLA clock. */
  paid_date: string | null;
  lines: number;
  claimed_amount: string;
  calculated_amount: string | null;
  approved_amount: string | null;
  sla_state: SlaState;
  target_business_days: number;
  due_date: string;
  age_business_days: number;
  business_days_left: number | null;
}

export interface ClaimLogFilters {
  status?: string | null;
  account_id?: string | null;
  program_id?: string | null;
  sla_state?: string | null;
  submitted_from?: string | null;
  submitted_to?: string | null;
  /** The grid's column and direction (`claimed_amount:desc`), over the whole log. */
  order?: string | null;
  /** The grid's column filters, JSON of column → text it contains. */
  filters?: string | null;
}

export interface SlaAlert {
  account_id: string;
  partner_name: string | null;
  claim_id: string;
  status: ClaimStatus;
  kind: 'warning' | 'escalation';
  sla_state: SlaState;
  submitted_date: string;
  due_date: string;
  target_business_days: number;
  business_days_left: number;
  urgent: boolean;
  as_of: string;
  created_at: string;
}

export interface ScorecardFigures {
  lines: number;
  error_lines: number;
  first_pass_lines: number;
  error_rate: string | null;
  first_pass_rate: string | null;
}

export interface Scorecard {
  account_id: string | null;
  partner_name: string | null;
  totals: ScorecardFigures;
  months: (ScorecardFigures & { month: string; by_rule_code: Record<string, number> })[];
  rule_codes: string[];
  top_errors: {
    rule_code: string;
    effect: string;
    lines: number;
    share: string | null;
    months: number;
    last_month: string;
    recommendation: string;
  }[];
  partners: (ScorecardFigures & { account_id: string; partner_name: string | null })[];
}

export function queryString(values: object): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== null && value !== undefined && value !== '') query.set(key, String(value));
  }
  return query.size > 0 ? `?${query}` : '';
}

export function claimLogExportUrl(filters: ClaimLogFilters): string {
  return `/api/claim-log/export.xlsx${queryString(filters)}`;
}

/** "0.2500" → "25.0 %"; em dash when there is nothing to rate. */
export function formatRate(rate: string | null | undefined): string {
  if (rate === null || rate === undefined) return '—';
  return `${formatNumber(Number(rate) * 100, 1)} %`;
}

/** "2026-05" → "May 2026". */
export function formatMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y!, (m ?? 1) - 1, 1)).toLocaleDateString(currentLocale(), {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}
