/**
 * The cash-application templates (FORMATS.md, "Cash application"): known payers, remittance advice lines,
 * and bank files recognised by their content (BAI2, lockbox, camt.053/054, NACHA, X12 820).
 */
import { hasImportHook, importHook } from './hooks.ts';
import type { FileTemplate, TableTemplate } from './templates.ts';

const cashRoles = ['administrator', 'collector', 'manager', 'credit'] as const;

const payers: TableTemplate = {
  kind: 'payers',
  format: 'csv',
  label: 'Known payers',
  description: 'Bank accounts that pay for an account (cash application identifies the payer by them).',
  dependsOn: ['accounts'],
  columns: [
    { name: 'account_id', type: 'id', required: true, description: 'The account the payer pays for' },
    { name: 'payer_name', type: 'text', description: 'The payer’s name as banks give it' },
    {
      name: 'payer_bank_account',
      type: 'text',
      required: true,
      description: 'The payer’s bank account (IBAN or account number)',
    },
  ],
  key: ['account_id', 'payer_bank_account'],
  table: 'cash_payers',
  conflict: ['account_id', 'payer_bank_account'],
  entityType: 'account',
  entityId: 'x.account_id',
  accountColumn: 'account_id',
  references: [
    { column: 'account_id', relation: 'accounts', key: 'account_id', reason: `'unknown account'` },
  ],
  checks: [
    {
      column: 'payer_bank_account',
      bad: `cash_norm_account(v.payer_bank_account) is null`,
      reason: `'must hold letters or digits'`,
    },
  ],
  auditInserts: true,
  partnerMayUpload: false,
  roles: cashRoles,
};

const remittances: TableTemplate = {
  kind: 'remittances',
  format: 'csv',
  label: 'Remittance advice',
  description: 'The documents a payment pays, with the amount paid and any deduction kept on purpose.',
  dependsOn: ['accounts', 'invoices'],
  columns: [
    { name: 'payment_ref', type: 'text', required: true, description: 'The bank’s reference of the payment' },
    { name: 'account_id', type: 'id', description: 'The paying account' },
    { name: 'document_id', type: 'text', required: true, description: 'The document paid' },
    { name: 'amount_paid', type: 'amount', description: 'Amount paid on the document' },
    { name: 'deduction_amount', type: 'amount', description: 'Amount kept on purpose' },
    { name: 'reason_code', type: 'text', description: 'The customer’s reason code for the deduction' },
  ],
  key: ['payment_ref', 'document_id'],
  table: 'cash_remittances',
  conflict: ['payment_ref', 'document_id'],
  entityType: 'bank_credit',
  entityId: 'x.payment_ref',
  references: [
    { column: 'account_id', relation: 'accounts', key: 'account_id', reason: `'unknown account'` },
  ],
  checks: [
    {
      column: 'reason_code',
      bad: 'v.t_deduction_amount > 0 and v.reason_code is null',
      reason: `'is required with a deduction_amount'`,
    },
    {
      column: 'amount_paid',
      bad: 'v.t_amount_paid is null and v.t_deduction_amount is null',
      reason: `'amount_paid or deduction_amount is required'`,
    },
  ],
  auditInserts: false,
  partnerMayUpload: false,
  roles: cashRoles,
};

const bankFiles: FileTemplate = {
  kind: 'bank_file',
  format: 'bank',
  label: 'Bank file',
  description:
    'Bank statements and remittances recognised by their content: BAI2, BAI lockbox, camt.053/054, NACHA, X12 820.',
  dependsOn: ['accounts', 'invoices', 'payers', 'remittances'],
  key: ['payment_ref'],
  columns: [],
  partnerMayUpload: false,
  roles: cashRoles,
  // Recognised only once the cash module registered its readers.
  sniff: (head) => hasImportHook('bank_file', 'sniff') && importHook('bank_file', 'sniff')(head),
  load: (tx, file) => importHook('bank_file', 'fileLoader')(tx, file),
  afterCommit: (db, accounts, options) => importHook('bank_file', 'afterCommit')(db, accounts, options),
};

export const cashTemplates = [payers, remittances, bankFiles] as const;
