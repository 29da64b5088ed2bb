import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { runCascade } from '../../src/modules/cash/index.ts';
import { approveClaims, validateClaims } from '../../src/modules/claims/index.ts';
import { sendQueued } from '../../src/modules/correspondence/index.ts';
import {
  escalateOverduePaybacks,
  markRepaidDeductions,
  validateDeductions,
} from '../../src/modules/deductions/index.ts';
import { fileSystemStore } from '../../src/modules/platform/index.ts';
import { runSettlement } from '../../src/modules/settlement/index.ts';
import { addUser, loadFiles } from '../helpers/app.ts';
import { type SmtpPeer, startSmtpPeer } from '../helpers/smtp.ts';
import { launchBrowser, serveApp, signInPage } from './browser.ts';

/**
 * Issue 14's "done when", in the browser: a short pay in a bank file becomes a deduction, validated against
 * the partner's approved claim, which it settles; the settlement run skips that claim; another short pay names
 * a claim that does not exist and is denied from the deduction's page: the letter goes out by e-mail and to the
 * portal, the payback is escalated when late and closes the deduction when it arrives.
 */
const program = {
  program_id: 'DE2E',
  name: 'Sell-out rebate',
  type: 'sell_out',
  currency: 'USD',
  country: 'US',
  start_date: '2026-01-01',
  end_date: '2026-12-31',
  per_unit_amount: '2.50',
  payment_method: 'credit_memo',
};
const files: [string, string][] = [
  [
    'accounts.csv',
    'account_id,name,country,currency,billing_email\nDP-A,Northwind Supplies,US,USD,ap@northwind.test\n',
  ],
  ['products.csv', 'sku,name\nDX,Printer\n'],
  ['programs.json', JSON.stringify([program])],
  ['inventory.csv', 'account_id,sku,as_of_date,on_hand_qty,kind\nDP-A,DX,2026-01-01,100,opening\n'],
  [
    'sell_out.csv',
    'account_id,sell_out_ref,sale_date,sku,qty\nDP-A,S1,2026-05-01,DX,24\nDP-A,S2,2026-05-02,DX,10\n',
  ],
  [
    'claims.csv',
    `claim_id,account_id,program_id,submitted_date,currency,line_no,sku,qty,claimed_unit_amount,claimed_amount,sale_date,sell_out_ref
C-7,DP-A,DE2E,2026-05-10,USD,1,DX,24,2.50,60.00,2026-05-01,S1
C-8,DP-A,DE2E,2026-05-11,USD,1,DX,10,2.50,25.00,2026-05-02,S2`,
  ],
  [
    'invoices.csv',
    `document_id,account_id,type,document_date,due_date,currency,amount
INV-80001,DP-A,invoice,2026-08-01,2026-08-31,USD,1000.00
INV-80002,DP-A,invoice,2026-08-02,2026-09-01,USD,500.00`,
  ],
  ['payers.csv', 'account_id,payer_name,payer_bank_account\nDP-A,NORTHWIND,111222333\n'],
  [
    'remittances.csv',
    `payment_ref,account_id,document_id,amount_paid,deduction_amount,reason_code
BR000010,DP-A,INV-80001,940.00,60.00,RB
BR000011,DP-A,INV-80002,475.00,25.00,RB`,
  ],
  ['reason_codes.csv', 'account_id,customer_code,category\nDP-A,RB,rebate\n'],
];
const bankFile = `01,BANK,CLEARHOUSE,260929,0800,1,,,2/
02,CLEARHOUSE,021000021,1,260929,0800,USD,2/
03,000123456789,USD,100,141500,2,,/
16,195,94000,Z,BR000010,,/
88,ORIG CO NAME:NORTHWIND SUPPLIES
88,ORIG ACCT:111222333
88,REMI:INV 80001 LESS REBATE CLAIM C-7
16,195,47500,Z,BR000011,,/
88,ORIG CO NAME:NORTHWIND SUPPLIES
88,ORIG ACCT:111222333
88,REMI:INV 80002 LESS REBATE CLAIM C-999
49,283000,10/
98,283000,1,12/
99,283000,1,14/
`;
const payback = (amount: string) => `01,BANK,CLEARHOUSE,261020,0800,1,,,2/
02,CLEARHOUSE,021000021,1,261020,0800,USD,2/
03,000123456789,USD,100,${amount},1,,/
16,195,${amount},Z,BR000099,,/
88,ORIG CO NAME:NORTHWIND SUPPLIES
88,ORIG ACCT:111222333
88,REMI:PAYBACK D-BR000011-INV-80002
49,${Number(amount) * 2},6/
98,${Number(amount) * 2},1,8/
99,${Number(amount) * 2},1,10/
`;

let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
let smtp: SmtpPeer;
const saved = { home: process.env.CLEARHOUSE_HOME };

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-deduction-path-'));
  process.env.CLEARHOUSE_HOME = home;
  smtp = await startSmtpPeer();
  await loadFiles(tdb.db, home, files);
  // The account's sales owner (set on the desk; not a column of accounts.csv) gets late paybacks.
  await tdb.db.query(`update accounts set sales_owner = 'sam@corp.test' where account_id = 'DP-A'`);
  await validateClaims(tdb.db);
  await approveClaims(tdb.db);
  ({ app, base } = await serveApp(tdb.db, home));
});

after(async () => {
  await app?.close();
  await tdb?.drop();
  await smtp?.close();
  if (home) fs.rmSync(home, { recursive: true, force: true });
  if (saved.home === undefined) delete process.env.CLEARHOUSE_HOME;
  else process.env.CLEARHOUSE_HOME = saved.home;
});

const shots = process.env.CLEARHOUSE_SCREENSHOTS;
async function shot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

async function dropBankFile(page: Page, name: string, content: string) {
  await page.goto(`${base}/imports`);
  // The drop zone is ready once the page has its templates (a file set on it before may be lost in a re-render).
  await page.getByTestId('import-templates').getByText('sell_out.csv', { exact: true }).waitFor();
  await page
    .getByTestId('import-dropzone')
    .locator('input[type=file]')
    .setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(content) });
  await page.locator('[data-testid=import-result][data-status=loaded]').waitFor();
}

/** What the jobs do after a bank file: the cascade, then the deductions' validation and paybacks. */
async function jobsAfterBankFile() {
  await runCascade(tdb.db);
  await validateDeductions(tdb.db, { asOf: '2026-10-01' });
  await tdb.db.tx((tx) => markRepaidDeductions(tx, '2026-10-20'));
}

test('short pay → deduction → claim settled → run skips it; a denial letter goes out and its payback is tracked', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const analyst = await addUser(tdb.db, 'ana@corp.test', ['rebate_analyst', 'collector']);
    const partner = await addUser(tdb.db, 'pat@northwind.test', ['partner'], 'DP-A');
    const page = await (
      await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' })
    ).newPage();
    await signInPage(page, base, analyst);

    // The bank file, by content, on the Imports page.
    await dropBankFile(page, 'statement-0929.txt', bankFile);
    await jobsAfterBankFile();

    // The rebates queue: the short pay naming C-7 is cleared against it; the one naming C-999 is invalid.
    await page.goto(`${base}/deductions`);
    await page.getByTestId('queue-tab-rebates').click();
    const grid = page.getByTestId('deductions-grid');
    await grid.locator('.ag-cell[col-id=deduction_id]').filter({ hasText: 'D-BR000010-INV-80001' }).waitFor();
    await shot(page, 'path-queue');
    await grid.locator('.ag-cell[col-id=deduction_id]').filter({ hasText: 'D-BR000010-INV-80001' }).click();
    await page.waitForURL(/\/deductions\/D-BR000010-INV-80001$/);
    assert.match((await page.getByTestId('deduction-status').textContent()) ?? '', /Cleared/);
    assert.match((await page.getByTestId('deduction-page').textContent()) ?? '', /C-7/);

    // The claim is paid by deduction; the settlement run pays C-8 only.
    await page.goto(`${base}/claims/C-7?account_id=DP-A`);
    await page.getByTestId('claim-deductions').waitFor();
    assert.match(
      (await page.getByTestId('claim-deductions').textContent()) ?? '',
      /D-BR000010-INV-80001.*60\.00/s,
    );
    await shot(page, 'path-claim');
    const run = await runSettlement(tdb.db, { outDir: path.join(home, 'pay'), asOf: '2026-10-01' });
    assert.deepEqual(
      run.batches.flatMap((b) => b.claim_ids),
      ['C-8'],
    );

    // The invalid one is denied from its page.
    await page.goto(`${base}/deductions/D-BR000011-INV-80002`);
    assert.match(
      (await page.getByTestId('deduction-finding').textContent()) ?? '',
      /C-999|not found|no claim/i,
    );
    await page.getByTestId('action-deny').click();
    await page.getByTestId('action-comment').fill('We have no claim C-999 on your account; please pay back.');
    await page.getByTestId('action-submit').click();
    await page.getByTestId('deduction-status').filter({ hasText: 'Denied' }).waitFor();
    await page
      .getByTestId('evidence-documents')
      .getByText(/denial/i)
      .first()
      .waitFor();
    await shot(page, 'path-denied');

    // The letter reaches the customer's billing contact through SMTP, with the PDF.
    await sendQueued(tdb.db, { store: fileSystemStore(path.join(home, 'documents')) });
    const mail = smtp.received.find((m) => m.to.includes('ap@northwind.test'));
    assert.ok(mail, JSON.stringify(smtp.received.map((m) => m.to)));
    assert.match(mail.raw, /application\/pdf/);

    // The partner sees it in the portal with its letter and payback date.
    const portal = await (
      await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' })
    ).newPage();
    await signInPage(portal, base, partner);
    await portal.goto(`${base}/my-deductions`);
    await portal.getByText('D-BR000011-INV-80002').first().waitFor();
    assert.match((await portal.locator('body').textContent()) ?? '', /Denied/);
    await shot(portal, 'path-portal');

    // Not paid back by its due date: one task for the sales owner.
    const { rows } = await tdb.db.query<{ due: string }>(
      `select payback_due_date::text as due from deductions where deduction_id = 'D-BR000011-INV-80002'`,
    );
    const escalated = await escalateOverduePaybacks(tdb.db, '2027-06-01');
    assert.equal(
      escalated.escalated.length,
      1,
      `escalated after ${rows[0]!.due}: ${JSON.stringify(escalated)}`,
    );
    const tasks = await tdb.db.query<{ n: number }>(
      `select count(*)::int as n from tasks where kind = 'escalate_to_sales' and account_id = 'DP-A'`,
    );
    assert.equal(tasks.rows[0]!.n, 1);

    // The payback arrives naming the deduction: cash application applies it, the deduction is repaid.
    await dropBankFile(page, 'statement-1020.txt', payback('2500'));
    await jobsAfterBankFile();
    await page.goto(`${base}/deductions/D-BR000011-INV-80002`);
    await page
      .getByTestId('deduction-status')
      .filter({ hasText: /Paid back|Repaid/ })
      .waitFor();
    await shot(page, 'path-repaid');
  } finally {
    await browser.close();
  }
});
