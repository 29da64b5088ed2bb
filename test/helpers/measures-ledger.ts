import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { PoolDb } from '../../src/db/db.ts';
import { runImport } from '../../src/modules/imports/index.ts';

/**
 * The hand-checked ledger of test/measures.test.ts (the figures are worked out there), loaded into `db` with
 * its files written under `dir`: accounts A-US (USD), A-DE (EUR), A-GB (GBP, no rate), exchange rates,
 * receivables, deductions and claims from January to April 2026.
 */
export async function loadMeasuresLedger(db: PoolDb, dir: string): Promise<void> {
  const load = async (name: string, content: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    const r = await runImport(db, { path: file, source: 'cli' });
    assert.equal(r.status, 'loaded', `${name}: ${JSON.stringify(r.errors)}`);
  };
  await load(
    'accounts.csv',
    'account_id,name,country,currency,collector\nA-US,Alpha Inc,US,USD,carl@corp.test\nA-DE,Beta GmbH,DE,EUR,dora@corp.test\nA-GB,Gamma Ltd,GB,GBP,\n',
  );
  await load(
    'fx_rates.csv',
    'rate_date,currency,rate\n2026-01-15,EUR,1.05\n2026-01-31,EUR,1.10\n2026-02-20,EUR,1.20\n2026-03-05,EUR,1.30\n',
  );
  await load(
    'invoices.csv',
    [
      'document_id,account_id,type,document_date,due_date,currency,amount',
      'INV-1,A-US,invoice,2026-01-10,2026-02-09,USD,1000.00',
      'INV-2,A-US,invoice,2026-02-10,2026-03-12,USD,600.00',
      'DM-3,A-US,debit_memo,2026-02-15,2026-02-28,USD,100.00',
      'CM-1,A-US,credit_memo,2026-02-20,,USD,50.00',
      'INV-4,A-DE,invoice,2026-01-20,2026-02-19,EUR,500.00',
      'NC-5,A-DE,non_compliance_charge,2026-02-25,2026-03-27,EUR,200.00',
      'INV-6,A-GB,invoice,2026-04-10,2026-05-10,GBP,100.00',
    ].join('\n'),
  );
  await load(
    'payments.csv',
    'payment_id,account_id,received_date,amount,currency\nPAY-1,A-US,2026-02-05,400.00,USD\nPAY-2,A-DE,2026-02-28,300.00,EUR\n',
  );
  await load(
    'applications.csv',
    'payment_id,document_id,applied_date,amount\nPAY-1,INV-1,2026-02-05,400.00\n',
  );
  await db.query(
    `insert into deductions (account_id, deduction_id, amount, currency, deduction_date) values
       ('A-US', 'DED-1', 300, 'USD', '2026-02-03'), ('A-US', 'DED-2', 150, 'USD', '2026-01-10'),
       ('A-DE', 'DED-3', 50, 'EUR', '2026-02-12')`,
  );
  // 100 of DED-1 cleared by a credit on 25 February (the journal is what "open at a date" reads).
  await db.query(
    `insert into ar_application_entries (account_id, payment_id, document_id, applied_date, amount, kind)
     values ('A-US', 'CM-CLEAR', 'DED-1', '2026-02-25', 100, 'applied')`,
  );
  await db.query(
    `insert into claims (account_id, claim_id, program_id, submitted_date, currency, status, urgent, paid_on,
       validated_at, first_validation_clean) values
       ('A-US', 'CL-1', 'PRG', '2026-01-05', 'USD', 'paid', false, '2026-02-13', '2026-01-06', true),
       ('A-US', 'CL-2', 'PRG', '2026-01-20', 'USD', 'paid', true, '2026-02-27', '2026-01-21', false),
       ('A-DE', 'CL-3', 'PRG', '2026-02-02', 'EUR', 'closed', false, '2026-02-19', '2026-02-03', true),
       ('A-DE', 'CL-4', 'PRG', '2026-02-25', 'EUR', 'paid', false, '2026-03-02', '2026-02-26', true),
       ('A-US', 'CL-5', 'PRG', '2026-02-10', 'USD', 'submitted', false, null, null, null),
       ('A-DE', 'CL-6', 'PRG', '2026-02-11', 'EUR', 'submitted', false, null, null, null),
       ('A-US', 'CL-7', 'PRG', '2026-02-12', 'USD', 'submitted', false, null, null, null),
       ('A-US', 'CL-8', 'PRG', '2026-02-13', 'USD', 'draft', false, null, null, null),
       ('A-DE', 'CL-9', 'PRG', '2026-02-20', 'EUR', 'in_review', false, null, '2026-02-21', false)`,
  );
  // The first validation of CL-5 finds something, CL-6's nothing: kept on the claim when it is validated.
  await db.query(
    `insert into claim_lines (account_id, claim_id, line_no, sku, qty, claimed_amount)
     values ('A-US', 'CL-5', 1, 'SKU-1', 1, 10)`,
  );
  await db.query(
    `insert into claim_findings (account_id, claim_id, line_no, rule_code, effect, detail)
     values ('A-US', 'CL-5', 1, 'DEAL_UNKNOWN', 'reject', 'no such deal')`,
  );
  await db.query(
    `update claims set status = 'validated', validated_at = now() where claim_id in ('CL-5', 'CL-6')`,
  );
  // A correction later clears the finding and validates again: the first validation stands.
  await db.query(`delete from claim_findings where claim_id = 'CL-5'`);
  await db.query(`update claims set validated_at = null where claim_id = 'CL-5'`);
  await db.query(`update claims set validated_at = now() where claim_id = 'CL-5'`);
}
