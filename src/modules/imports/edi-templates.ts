/**
 * X12 EDI files (FORMATS.md, "X12 EDI"), recognised by their `ISA`: each transaction set goes to the template
 * it stands for (844 → claims, 867 → sell_out, 852 → inventory, 812 → deductions, 820 → bank file). Listed
 * before the bank files, so an interchange of 820s comes here too and reaches cash application through it.
 */
import { importHook } from './hooks.ts';
import type { FileTemplate } from './templates.ts';

const x12: FileTemplate = {
  kind: 'x12',
  format: 'bank',
  label: 'X12 EDI',
  description:
    'ANSI X12 004010 interchanges: 844 claims, 867 sell-out, 852 inventory, 812 deductions, 820 remittances; each set loads as its template, answered by a 997.',
  dependsOn: [
    'accounts',
    'products',
    'price_changes',
    'end_customers',
    'programs',
    'deals',
    'policies',
    'sell_in',
    'sell_out',
    'inventory',
    'invoices',
    'payments',
    'applications',
    'reason_codes',
    'payers',
    'remittances',
  ],
  key: ['sender', 'control_number'],
  columns: [],
  partnerMayUpload: false,
  roles: ['administrator', 'rebate_analyst', 'manager', 'distribution', 'collector', 'credit'],
  sniff: (head) => /^\s*ISA/.test(head.toString('utf8').replace(/^\uFEFF/, '')),
  // The edi module registers the loader (imports sits below it: no cycle between modules).
  load: (tx, file) => importHook('x12', 'fileLoader')(tx, file),
};

export const ediTemplates = [x12] as const;
