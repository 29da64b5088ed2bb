/**
 * The reporting template (FORMATS.md "Reviews and measures"): exchange rates into the reporting currency
 * (`CLEARHOUSE_REPORTING_CURRENCY`), read by the measures, the Top 40 and the dashboards through `fx_rate`.
 */
import type { TableTemplate } from './templates.ts';

const fxRates: TableTemplate = {
  kind: 'fx_rates',
  format: 'csv',
  label: 'Exchange rates',
  description:
    'Units of the reporting currency for one unit of a currency, per date; the latest rate on or before a date applies.',
  dependsOn: [],
  columns: [
    { name: 'rate_date', type: 'date', required: true, description: 'The day the rate applies from' },
    { name: 'currency', type: 'currency', required: true, description: 'ISO 4217' },
    {
      name: 'rate',
      type: 'price',
      scale: 10,
      required: true,
      description: 'Units of the reporting currency for one unit of the currency (up to 10 decimals)',
    },
  ],
  key: ['rate_date', 'currency'],
  table: 'fx_rates',
  conflict: ['currency', 'rate_date'],
  entityType: 'fx_rate',
  entityId: `x.currency || '/' || x.rate_date`,
  references: [],
  checks: [{ column: 'rate', bad: 'v.t_rate <= 0', reason: `'must be more than 0'` }],
  auditInserts: false,
  partnerMayUpload: false,
  roles: ['administrator', 'manager', 'rebate_analyst'],
};

export const reportingTemplates = [fxRates] as const;
