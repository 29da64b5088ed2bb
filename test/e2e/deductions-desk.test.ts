import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { fileSystemStore, uploadDocument } from '../../src/modules/platform/index.ts';
import { addAccount, addUser } from '../helpers/app.ts';
import { addClaim, addDeduction, addInvoice } from '../helpers/deductions.ts';
import { launchBrowser, serveApp, signInPage } from './browser.ts';

/**
 * The deduction desk end to end, on 2026-06-15: a collector opens the rebates queue (breached first), opens
 * the unmatched deduction and sees its evidence — the suggested claim with what is unsettled of it, the
 * invoice, the payment with its remittance line — with Clear pre-filled from the suggestion; the dashboard
 * shows DDO and the aging, and a figure opens the deductions behind it. A partner sees only its own
 * deductions in the portal, the denied one with its letter and payback date.
 */
let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
let collector: { email: string; password: string };
let partner: { email: string; password: string };
const saved = { home: process.env.CLEARHOUSE_HOME, today: process.env.CLEARHOUSE_TODAY };

before(async () => {
  process.env.CLEARHOUSE_TODAY = '2026-06-15';
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-deductions-'));
  process.env.CLEARHOUSE_HOME = home;
  const db = tdb.db;
  await addAccount(db, 'C1', { name: 'Northwind Distribution', collector: 'cora@corp.test' });
  await addAccount(db, 'C2', { name: 'Contoso Supplies' });
  await addInvoice(db, 'C1', 'INV-10043', '1000.00', '2026-03-20');
  await addInvoice(db, 'C1', 'INV-10051', '800.00', '2026-04-20');
  await addInvoice(db, 'C2', 'INV-20001', '900.00', '2026-04-01');
  await addClaim(db, 'C1', 'CLM-7001', '100.00', 'approved', { deducted: '40.00' });
  await addClaim(db, 'C1', 'CLM-7002', '250.00');
  await addClaim(db, 'C1', 'CLM-6999', '75.00', 'rejected');
  await db.query(
    `insert into bank_credits (payment_ref, file_id, statement_no, position, record_no, amount, currency,
       value_date, payer_name, text, account_id, status)
     values ('BR000777', 'F1', 1, 1, 3, 940.00, 'EUR', '2026-04-15', 'NORTHWIND DISTRIBUTION GMBH',
       'REMI:INV-10043 LESS REBATE', 'C1', 'applied')`,
  );
  await db.query(
    `insert into cash_remittances (payment_ref, document_id, account_id, amount_paid, deduction_amount, reason_code)
     values ('BR000777', 'INV-10043', 'C1', 940.00, 60.00, 'REB')`,
  );
  await addDeduction(db, {
    account: 'C1',
    id: 'D-BR000777-INV-10043',
    amount: '60.00',
    date: '2026-04-15',
    invoice: 'INV-10043',
    paymentRef: 'BR000777',
    reasonCode: 'REB',
    reference: 'REBATE Q1',
    slaDue: '2026-06-10',
    validation: 'unmatched',
    suggestions: [{ claim_ids: ['CLM-7001'], amount: '60.00', score: 0.9 }],
  });
  await addDeduction(db, {
    account: 'C1',
    id: 'DED-2026-0042',
    amount: '200.00',
    date: '2026-05-20',
    invoice: 'INV-10051',
    reasonCode: 'REB',
    reference: 'CLM-6999',
    slaDue: '2026-06-30',
    status: 'denied',
    validation: 'invalid',
    finding: 'CLAIM_NOT_APPROVED',
    claimIds: ['CLM-6999'],
    invalidAmount: '200.00',
    deniedOn: '2026-06-05',
    paybackDue: '2026-07-05',
  });
  await addDeduction(db, {
    account: 'C1',
    id: 'DED-2026-0050',
    amount: '120.00',
    date: '2026-06-01',
    invoice: 'INV-10051',
    reasonCode: 'REB',
    slaDue: '2026-06-17',
  });
  await addDeduction(db, {
    account: 'C2',
    id: 'DED-2026-0031',
    amount: '500.00',
    date: '2026-05-05',
    invoice: 'INV-20001',
    reasonCode: 'PRC',
    category: 'price_discount',
    queue: 'sales',
    slaDue: '2026-06-20',
    validation: 'not_applicable',
  });
  const store = fileSystemStore(path.join(home, 'documents'));
  const letter = await uploadDocument(db, store, {
    entityType: 'deduction',
    entityId: 'DED-2026-0042',
    fileName: 'denial-DED-2026-0042.txt',
    documentType: 'denial_letter',
    content: Readable.from([Buffer.from('Claim CLM-6999 is not approved for payment.')]),
  });
  await db.query(`update deductions set denial_document_id = $1 where deduction_id = 'DED-2026-0042'`, [
    letter.document_id,
  ]);
  collector = await addUser(db, 'cora@corp.test', ['collector']);
  partner = await addUser(db, 'pat@northwind.test', ['partner'], 'C1');
  ({ app, base } = await serveApp(db, home));
});

after(async () => {
  await app?.close();
  await tdb?.drop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
  for (const [k, v] of [
    ['CLEARHOUSE_HOME', saved.home],
    ['CLEARHOUSE_TODAY', saved.today],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const shots = process.env.DEDUCTION_SHOTS;
async function shot(page: Page, name: string) {
  if (!shots) return;
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

test('a collector works the rebates queue: the breached deduction first, its evidence side by side', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
    await signInPage(page, base, collector);
    await page.getByTestId('nav').getByRole('link', { name: 'Deductions', exact: true }).click();
    await page.getByTestId('queue-tab-rebates').click();
    const grid = page.getByTestId('deductions-grid');
    const idCells = grid.locator('.ag-cell[col-id=deduction_id]');
    await idCells.first().waitFor();
    const ids = (
      await idCells.evaluateAll((cells) =>
        cells.map(
          (c) =>
            [Number(c.closest('.ag-row')?.getAttribute('row-index')), c.textContent?.trim() ?? ''] as const,
        ),
      )
    )
      .sort((a, b) => a[0] - b[0])
      .map((r) => r[1]);
    assert.deepEqual(ids, ['D-BR000777-INV-10043', 'DED-2026-0050', 'DED-2026-0042'], 'breached first');
    assert.match((await page.getByTestId('queue-summary').textContent()) ?? '', /2 open .* 1 breached/);
    await shot(page, 'deductions-rebates');

    await idCells.filter({ hasText: 'D-BR000777-INV-10043' }).click();
    await page.waitForURL(/\/deductions\/D-BR000777-INV-10043$/);
    const suggestion = page.getByTestId('evidence-suggestions');
    await suggestion.getByTestId('evidence-claim-CLM-7001').waitFor();
    assert.match((await suggestion.getByTestId('evidence-claim-CLM-7001').textContent()) ?? '', /60\.00 EUR/);
    assert.equal(
      await page.getByTestId('pick-claim-CLM-7001').isChecked(),
      true,
      'pre-picked from the suggestion',
    );
    assert.match((await page.getByTestId('action-clear').textContent()) ?? '', /Clear \(1\)/);
    assert.match((await page.getByTestId('evidence-invoice').textContent()) ?? '', /INV-10043.*940\.00 EUR/s);
    assert.match(
      (await page.getByTestId('remittance-lines').textContent()) ?? '',
      /INV-10043.*940\.00.*60\.00.*REB/,
    );
    assert.match((await page.getByTestId('evidence-payment').textContent()) ?? '', /BR000777/);
    await page.getByTestId('deduction-timeline').getByText('Deduction taken (short pay)').waitFor();
    await shot(page, 'deduction-evidence');

    // A document dropped on the page joins the evidence.
    await page
      .getByTestId('documents-dropzone')
      .locator('input[type=file]')
      .setInputFiles({
        name: 'rebate-agreement.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('Q1 rebate'),
      });
    await page.getByTestId('evidence-documents').getByText('rebate-agreement.txt').waitFor();

    // An action the server does not know yet (or refuses) shows its answer in the form.
    await page.getByTestId('action-comments').click();
    await page.getByTestId('action-comment').fill('Called the customer: the rebate is for Q1.');
    await page.getByTestId('action-submit').click();
    await page.getByTestId('action-error').or(page.getByText('Comment added.')).first().waitFor();
    await shot(page, 'deduction-comment');
    await page.keyboard.press('Escape');

    await page.getByTestId('nav').getByRole('link', { name: 'Deductions dashboard', exact: true }).click();
    await page.getByTestId('aging-table').waitFor();
    assert.match((await page.getByTestId('aging-rebates-d61_90').textContent()) ?? '', /60\.00/);
    // May: open on 05-31 60.00 + 200.00, taken in May 200.00: 260 / 200 × 31 = 40.3
    assert.equal((await page.getByTestId('ddo-rebates-2026-05').textContent())?.trim(), '40.3');
    await page.getByTestId('ddo-chart').locator('canvas').waitFor();
    await shot(page, 'deductions-dashboard');
    await page.getByTestId('aging-sales-d31_60').click();
    await page.waitForURL(/queue=sales&open=true&age_from=31&age_to=60/);
    await page.getByTestId('deductions-grid').getByText('DED-2026-0031').waitFor();
    await page.getByText('31–60 days old, still open').waitFor();
    await shot(page, 'deductions-drilldown');

    await page.goto(`${base}/accounts/C1`);
    await page.getByTestId('account-deductions').getByText('DED-2026-0042').waitFor();
    await page.getByTestId('account-deductions').scrollIntoViewIfNeeded();
    await shot(page, 'account-360-deductions');
  } finally {
    await browser.close();
  }
});

test('a partner sees only its own deductions, the denied one with its letter and payback date', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    await signInPage(page, base, partner);
    await page.getByTestId('nav').getByText('Deductions', { exact: true }).click();
    const rows = page.getByTestId('my-deduction');
    await rows.first().waitFor();
    const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    assert.deepEqual(ids, ['DED-2026-0050', 'DED-2026-0042', 'D-BR000777-INV-10043']);
    const denied = page.locator('[data-testid=my-deduction][data-id=DED-2026-0042]');
    assert.match(
      (await denied.textContent()) ?? '',
      /Denied.*Not supported by an approved claim.*Jul 5, 2026/,
    );
    const href = await denied.getByTestId('denial-letter').getAttribute('href');
    const letter = await page.request.get(`${base}${href}`);
    assert.equal(letter.status(), 200);
    assert.match(await letter.text(), /not approved/);
    await shot(page, 'my-deductions');
    await denied.getByRole('button', { name: 'DED-2026-0042' }).click();
    await page
      .getByTestId('my-deduction-detail')
      .getByText('Claim CLM-6999 is not approved for payment.')
      .waitFor();
    await shot(page, 'my-deduction-detail');
  } finally {
    await browser.close();
  }
});
