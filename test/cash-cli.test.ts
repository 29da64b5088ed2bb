import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';

/** `clearhouse import` takes a BAI2 file by its content; `cash apply` and `cash export` with FORMATS.md columns. */
const files: Record<string, string> = {
  'accounts.csv':
    'account_id,name,country,currency\nCC-A,Northwind Supplies,US,USD\nCC-B,Contoso Retail,US,USD\n',
  'invoices.csv': `document_id,account_id,type,document_date,due_date,currency,amount,tax_amount,reference,po_number
INV-70001,CC-A,invoice,2026-08-01,2026-08-31,USD,500.00,,,
INV-70002,CC-A,invoice,2026-08-05,2026-09-04,USD,250.00,,,
INV-70003,CC-B,invoice,2026-08-05,2026-09-04,USD,90.00,,,
INV-70004,CC-B,invoice,2026-08-06,2026-09-05,USD,90.00,,,`,
  'payers.csv':
    'account_id,payer_name,payer_bank_account\nCC-A,NORTHWIND,111222333\nCC-B,CONTOSO,444555666\n',
  'remittances.csv': `payment_ref,account_id,document_id,amount_paid,deduction_amount,reason_code
BR000002,CC-A,INV-70002,240.00,10.00,FRT`,
  // Named like nothing: recognised by its content.
  'statement-0928.txt': `01,BANK,CLEARHOUSE,260928,0800,1,,,2/
02,CLEARHOUSE,021000021,1,260928,0800,USD,2/
03,000123456789,USD,100,83000,3,,/
16,195,50000,Z,BR000001,,/
88,ORIG CO NAME:NORTHWIND SUPPLIES
88,ORIG ACCT:111222333
88,REMI:PAYMENT INV 70001
16,195,24000,Z,BR000002,,/
88,ORIG CO NAME:NORTHWIND SUPPLIES
88,ORIG ACCT:111222333
16,195,9000,Z,BR000003,,/
88,ORIG CO NAME:CONTOSO
88,ORIG ACCT:444555666
49,166000,12/
98,166000,1,14/
99,166000,1,16/
`,
};

let tdb: TestDatabase;
let dir: string;
let env: NodeJS.ProcessEnv;
const bin = path.resolve(import.meta.dirname, '..', 'bin', 'clearhouse.js');
const clearhouse = async (...args: string[]) =>
  promisify(execFile)(process.execPath, [bin, ...args], { env, maxBuffer: 16 * 1024 * 1024 });

before(async () => {
  tdb = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-cash-cli-'));
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

test('import a bank file by content, cash apply, cash export', { timeout: 240_000 }, async () => {
  const imported = await clearhouse('import', ...Object.keys(files).map((f) => path.join(dir, f)));
  assert.match(imported.stdout, /statement-0928\.txt \(bank_file\): loaded 3 row/);
  const run = JSON.parse((await clearhouse('cash', 'apply', '--json')).stdout);
  assert.equal(run.credits, 3);
  assert.equal(run.auto_applied, 2);
  assert.deepEqual(run.exceptions, { AMBIGUOUS: 1 });
  const again = JSON.parse((await clearhouse('cash', 'apply', '--json')).stdout);
  assert.equal(again.credits, 0);
  const out = path.join(dir, 'out');
  await clearhouse('cash', 'export', '--out', out);
  assert.equal(
    fs.readFileSync(path.join(out, 'cash_applications.csv'), 'utf8'),
    [
      'payment_ref,account_id,document_id,amount,kind,reason_code,rule,confidence',
      'BR000001,CC-A,INV-70001,500.00,invoice,,reference,0.90',
      'BR000002,CC-A,INV-70002,240.00,invoice,,remittance,1.00',
      'BR000002,CC-A,INV-70002,10.00,deduction,FRT,remittance,1.00',
      '',
    ].join('\n'),
  );
  assert.equal(
    fs.readFileSync(path.join(out, 'cash_exceptions.csv'), 'utf8'),
    [
      'payment_ref,amount,currency,payer_name,reason,suggestions',
      'BR000003,90.00,USD,CONTOSO,AMBIGUOUS,INV-70003:0.60;INV-70004:0.60',
      '',
    ].join('\n'),
  );
});
