/**
 * The deduction templates (FORMATS.md, "Deductions"): deductions taken by customers (from the ERP, when cash
 * application did not make them) and the customers' reason codes mapped to our categories.
 */
import { importHook } from './hooks.ts';
import type { TableTemplate } from './templates.ts';

const deductionRoles = ['administrator', 'collector', 'manager', 'rebate_analyst'] as const;
const categories = [
  'rebate',
  'price_discount',
  'special_bid',
  'marketing',
  'returns',
  'freight',
  'shortage',
  'tax',
  'unknown',
] as const;

const afterCommit: TableTemplate['afterCommit'] = (db, accounts, options) =>
  importHook('deductions', 'afterCommit')(db, accounts, options);

const deductions: TableTemplate = {
  kind: 'deductions',
  format: 'csv',
  label: 'Deductions',
  description:
    'Amounts customers kept when they paid: each becomes an open deduction item, routed and validated.',
  dependsOn: ['accounts', 'invoices', 'payments', 'reason_codes'],
  columns: [
    { name: 'deduction_id', type: 'id', required: true, description: 'Deduction number' },
    { name: 'account_id', type: 'id', required: true, description: 'The customer that took it' },
    { name: 'payment_ref', type: 'text', description: 'The payment it was taken from' },
    { name: 'document_id', type: 'text', description: 'The invoice it was taken from' },
    { name: 'amount', type: 'amount', required: true, description: 'Amount kept, positive' },
    { name: 'currency', type: 'currency', required: true, description: 'Currency' },
    { name: 'reason_code', type: 'text', description: 'The customer’s own reason code' },
    { name: 'deduction_date', type: 'date', required: true, description: 'Date taken' },
    { name: 'reference', type: 'text', description: 'The customer’s words, often naming a claim (C-1234)' },
  ],
  key: ['deduction_id'],
  table: 'deductions',
  conflict: ['account_id', 'deduction_id'],
  derived: { source: `'import'` },
  entityType: 'deduction',
  entityId: 'x.deduction_id',
  accountColumn: 'account_id',
  references: [
    { column: 'account_id', relation: 'accounts', key: 'account_id', reason: `'unknown account'` },
  ],
  checks: [
    { column: 'amount', bad: 'v.t_amount <= 0', reason: `'must be greater than zero'` },
    {
      column: 'document_id',
      bad: `v.document_id is not null and x_inv.document_id is null`,
      reason: `'unknown document ' || v.document_id || ' for account ' || v.account_id`,
      join: `left join ar_documents x_inv on x_inv.document_id = v.document_id and x_inv.account_id = v.account_id
        and x_inv.type in ('invoice', 'debit_memo', 'non_compliance_charge')`,
    },
    {
      column: 'deduction_id',
      bad: 'x_ddoc.document_id is not null',
      reason: `'another document already has this id'`,
      join: `left join ar_documents x_ddoc on x_ddoc.document_id = v.deduction_id
        and (x_ddoc.type <> 'deduction' or x_ddoc.account_id <> v.account_id)`,
    },
    {
      column: 'currency',
      bad: 'x_cur.document_id is not null',
      reason: `'is not the currency ' || x_cur.currency || ' of document ' || x_cur.document_id`,
      join: `left join ar_documents x_cur on x_cur.document_id = v.document_id and x_cur.account_id = v.account_id
        and x_cur.currency <> v.t_currency`,
    },
  ],
  auditInserts: true,
  partnerMayUpload: false,
  roles: deductionRoles,
  beforeMerge: (tx, rows, options) => importHook('deductions', 'beforeMerge')(tx, rows, options),
  afterCommit,
};

const reasonCodes: TableTemplate = {
  kind: 'reason_codes',
  format: 'csv',
  label: 'Deduction reason codes',
  description: 'Each customer’s own deduction reason codes mapped to ours (the category decides the team).',
  dependsOn: ['accounts'],
  columns: [
    { name: 'account_id', type: 'id', required: true, description: 'The customer' },
    { name: 'customer_code', type: 'text', required: true, description: 'The customer’s reason code' },
    {
      name: 'category',
      type: { enum: categories },
      required: true,
      description: categories.join(', '),
    },
  ],
  key: ['account_id', 'customer_code'],
  table: 'deduction_reason_codes',
  conflict: ['account_id', 'customer_code'],
  entityType: 'account',
  entityId: 'x.account_id',
  accountColumn: 'account_id',
  references: [
    { column: 'account_id', relation: 'accounts', key: 'account_id', reason: `'unknown account'` },
  ],
  checks: [],
  auditInserts: true,
  partnerMayUpload: false,
  roles: deductionRoles,
  afterCommit,
};

export const deductionTemplates = [reasonCodes, deductions] as const;
