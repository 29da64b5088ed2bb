import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';

/**
 * The whole path through the CLI: a short pay in a bank file becomes a deduction, validated against the
 * partner's approved claim, which it settles; the settlement run then pays the other claim and skips it.
 */
const program = {
  program_id: 'DC-SO',
  name: 'Sell-out rebate',
  type: 'sell_out',
  currency: 'USD',
  country: 'US',
  start_date: '2026-01-01',
  end_date: '2026-12-31',
  per_unit_amount: '2.50',
  payment_method: 'credit_memo',
};
const files: Record<string, string> = {
  'accounts.csv': 'account_id,name,country,currency\nDC-A,Northwind Supplies,US,USD\n',
  'products.csv': 'sku,name\nDCX,Printer\n',
  'programs.json': JSON.stringify([program]),
  'inventory.csv': 'account_id,sku,as_of_date,on_hand_qty,kind\nDC-A,DCX,2026-01-01,100,opening\n',
  'sell_out.csv':
    'account_id,sell_out_ref,sale_date,sku,qty\nDC-A,S1,2026-05-01,DCX,24\nDC-A,S2,2026-05-02,DCX,10\n',
  'claims.csv': `claim_id,account_id,program_id,submitted_date,currency,line_no,sku,qty,claimed_unit_amount,claimed_amount,sale_date,sell_out_ref
C-7,DC-A,DC-SO,2026-05-10,USD,1,DCX,24,2.50,60.00,2026-05-01,S1
C-8,DC-A,DC-SO,2026-05-11,USD,1,DCX,10,2.50,25.00,2026-05-02,S2
`,
  'invoices.csv': `document_id,account_id,type,document_date,due_date,currency,amount
INV-80001,DC-A,invoice,2026-08-01,2026-08-31,USD,1000.00
`,
  'payers.csv': 'account_id,payer_name,payer_bank_account\nDC-A,NORTHWIND,111222333\n',
  'remittances.csv': `payment_ref,account_id,document_id,amount_paid,deduction_amount,reason_code
BR000010,DC-A,INV-80001,940.00,60.00,RB
`,
  'reason_codes.csv': 'account_id,customer_code,category\nDC-A,RB,rebate\n',
  'statement-0929.txt': `01,BANK,CLEARHOUSE,260929,0800,1,,,2/
02,CLEARHOUSE,021000021,1,260929,0800,USD,2/
03,000123456789,USD,100,94000,1,,/
16,195,94000,Z,BR000010,,/
88,ORIG CO NAME:NORTHWIND SUPPLIES
88,ORIG ACCT:111222333
88,REMI:INV 80001 LESS REBATE CLAIM C-7
49,188000,6/
98,188000,1,8/
99,188000,1,10/
`,
};
const order = [
  'accounts.csv',
  'products.csv',
  'programs.json',
  'inventory.csv',
  'sell_out.csv',
  'claims.csv',
  'invoices.csv',
  'payers.csv',
  'remittances.csv',
  'reason_codes.csv',
  'statement-0929.txt',
];

let tdb: TestDatabase;
let dir: string;
let env: NodeJS.ProcessEnv;
const bin = path.resolve(import.meta.dirname, '..', 'bin', 'clearhouse.js');
const clearhouse = async (...args: string[]) =>
  promisify(execFile)(process.execPath, [bin, ...args], { env, maxBuffer: 16 * 1024 * 1024 });

before(async () => {
  tdb = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-deductions-cli-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('NODE_TEST') || (key.startsWith('CLEARHOUSE_') && !key.startsWith('CLEARHOUSE_TEST')))
      delete env[key];
  }
  delete env.NODE_OPTIONS;
  Object.assign(env, {
    DATABASE_URL: tdb.ownerUrl,
    CLEARHOUSE_HOME: path.join(dir, 'home'),
    LOG_LEVEL: 'warn',
  });
});

after(async () => {
  await tdb.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('short pay → deduction → validated against the approved claim → claim settled → the run skips it', {
  timeout: 240_000,
}, async () => {
  await clearhouse('import', ...order.slice(0, 6).map((f) => path.join(dir, f)));
  await clearhouse('claims', 'validate');
  await clearhouse('claims', 'approve', '--all');
  await clearhouse('import', ...order.slice(6).map((f) => path.join(dir, f)));
  const cash = JSON.parse((await clearhouse('cash', 'apply', '--json')).stdout);
  assert.equal(cash.deductions, 1);

  // cash apply validated the short pay at once; validating again decides nothing twice.
  const again = JSON.parse((await clearhouse('deductions', 'validate', '--json')).stdout);
  assert.equal(again.valid, 0);
  await clearhouse('deductions', 'export', '--out', path.join(dir, 'out'));
  const csv = fs
    .readFileSync(path.join(dir, 'out', 'deduction_results.csv'), 'utf8')
    .trim()
    .split(/\r?\n/);
  assert.equal(
    csv[0],
    'deduction_id,account_id,amount,currency,category,queue,validation,claim_ids,valid_amount,invalid_amount,finding,status',
  );
  assert.equal(csv.length, 2);
  assert.match(csv[1]!, /^[^,]+,DC-A,60\.00,USD,rebate,rebates,valid,C-7,60\.00,0\.00,,cleared$/);

  const run = JSON.parse(
    (await clearhouse('settlement', 'run', '--out', path.join(dir, 'pay'), '--as-of', '2026-10-01', '--json'))
      .stdout,
  );
  const paid = run.batches.flatMap((b: { claim_ids: string[] }) => b.claim_ids);
  assert.deepEqual(paid, ['C-8'], 'C-7 was paid by deduction');
  const { rows } = await tdb.db.query<{ claim_id: string; status: string; paid_by: string }>(
    `select claim_id, status, paid_by from claims order by claim_id`,
  );
  assert.deepEqual(
    rows.map((r) => `${r.claim_id}:${r.status}:${r.paid_by}`),
    ['C-7:paid:deduction', 'C-8:paid:settlement'],
  );
});
