/**
 * The tax template (FORMATS.md, "Credit and tax"): customers' tax-exempt certificates per jurisdiction. The
 * files the rows name travel beside the CSV and are attached after the load (tax/attach-files.ts).
 */
import type { RowCheck, TableTemplate } from './templates.ts';

/** A country (DE) or an ISO 3166-2 subdivision (US-TX), in capitals: jurisdictions are compared exactly. */
export const taxJurisdictionCheck = (column: string): RowCheck => ({
  column,
  bad: `v.${column} !~ '^[A-Z]{2}(-[A-Z0-9]{1,3})?$'`,
  reason: `'is not a jurisdiction: a country (DE) or an ISO 3166-2 subdivision (US-TX), in capitals'`,
});

const statuses = ['requested', 'received', 'validated', 'rejected'] as const;

const taxCertificates: TableTemplate = {
  kind: 'tax_certificates',
  format: 'csv',
  label: 'Tax-exempt certificates',
  description: 'Customers’ tax-exempt certificates per jurisdiction, with their dates and status.',
  dependsOn: ['accounts'],
  columns: [
    { name: 'account_id', type: 'id', required: true, description: 'The customer' },
    {
      name: 'jurisdiction',
      type: 'text',
      required: true,
      description: 'Where it exempts: a country (DE) or ISO 3166-2 (US-TX), matched exactly',
    },
    { name: 'certificate_number', type: 'text', required: true, description: 'The certificate’s number' },
    {
      name: 'exempt_reason',
      type: 'text',
      description: 'Why the customer is exempt (resale, non-profit, …)',
    },
    { name: 'effective_date', type: 'date', description: 'First day it covers' },
    { name: 'expiry_date', type: 'date', description: 'Last day it covers; empty: no expiry' },
    {
      name: 'status',
      type: { enum: statuses },
      description: 'requested, received (default for a new one), validated or rejected',
    },
    { name: 'file_name', type: 'text', description: 'The certificate’s file, travelling beside the CSV' },
  ],
  key: ['account_id', 'jurisdiction', 'certificate_number'],
  table: 'tax_certificates',
  conflict: ['account_id', 'jurisdiction', 'certificate_number'],
  tableColumns: [
    'account_id',
    'jurisdiction',
    'certificate_number',
    'exempt_reason',
    'effective_date',
    'expiry_date',
    'file_name',
  ],
  // An empty status is `received` for a new certificate and leaves a known one as it stands: loading the
  // customer file again never undoes the tax team's decisions.
  derived: { status: `coalesce(v.t_status, d_known.status, 'received')` },
  derivedJoins: [
    `left join tax_certificates d_known on d_known.account_id = v.account_id
      and d_known.jurisdiction = v.jurisdiction and d_known.certificate_number = v.certificate_number`,
  ],
  entityType: 'tax_certificate',
  // Updated rows are audited with our certificate id (the table's row); new rows are counted by the import.
  entityId: 'x.certificate_id',
  accountColumn: 'account_id',
  references: [
    { column: 'account_id', relation: 'accounts', key: 'account_id', reason: `'unknown account'` },
  ],
  checks: [
    taxJurisdictionCheck('jurisdiction'),
    {
      column: 'expiry_date',
      bad: 'v.t_expiry_date < v.t_effective_date',
      reason: `'is before effective_date'`,
    },
    {
      column: 'effective_date',
      bad: `v.effective_date is null and coalesce(v.status, x_cur.status) = 'validated'`,
      reason: `'a validated certificate needs the date it is effective from'`,
      join: `left join tax_certificates x_cur on x_cur.account_id = v.account_id
        and x_cur.jurisdiction = v.jurisdiction and x_cur.certificate_number = v.certificate_number`,
    },
    {
      column: 'status',
      bad: `v.status = 'requested' and x_req.certificate_id is not null`,
      reason: `'a certificate for ' || v.jurisdiction || ' is requested from ' || v.account_id || ' already ('
        || x_req.certificate_id || ')'`,
      join: `left join tax_certificates x_req on x_req.account_id = v.account_id
        and x_req.jurisdiction = v.jurisdiction and x_req.status = 'requested'
        and x_req.certificate_number is distinct from v.certificate_number`,
    },
  ],
  auditInserts: false,
  partnerMayUpload: false,
  roles: ['administrator', 'tax', 'manager', 'collector'],
};

export const taxTemplates = [taxCertificates] as const;
