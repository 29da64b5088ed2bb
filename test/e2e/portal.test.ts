import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { validateClaims } from '../../src/modules/claims/index.ts';
import { addUser } from '../helpers/app.ts';
import { pdfText } from '../helpers/pdf.ts';
import { loadPortalFixture } from '../helpers/portal-fixture.ts';
import { readWorkbook, sheetRecords } from '../helpers/xlsx.ts';
import { launchBrowser, serveApp, signInPage } from './browser.ts';

/**
 * The partner portal in the browser (issue 19): what the partner owes with its statement downloaded as PDF and
 * XLSX, a dispute raised on an invoice, and a claim filled with the form's look-ups, its document attached
 * before submitting. Another partner's invoices, end customers and sale lines never show.
 */
process.env.CLEARHOUSE_TODAY = '2026-04-15';
let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
let partner: { email: string; password: string };
let collector: { email: string; password: string };
const shots = process.env.CLEARHOUSE_SCREENSHOTS ?? '/tmp/portal-shots';

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-portal-'));
  fs.mkdirSync(shots, { recursive: true });
  await loadPortalFixture(tdb.db, home);
  partner = await addUser(tdb.db, 'paula@northwind.test', ['partner'], 'P-1');
  await addUser(tdb.db, 'carl@contoso.test', ['partner'], 'P-2');
  collector = await addUser(tdb.db, 'cole@corp.test', ['collector']);
  ({ app, base } = await serveApp(tdb.db, home));
});

after(async () => {
  await app?.close();
  await tdb?.drop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, name), fullPage: true });

test('a partner sees what it owes and downloads its statement as PDF and XLSX with the same totals', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
    await signInPage(page, base, partner);
    await page.getByTestId('nav').getByText('What I owe').click();
    await page.waitForURL(/\/my-account/);
    await page.goto(`${base}/my-account?from=2026-04-01&as_of=2026-04-15`);
    const owe = page.getByTestId('what-i-owe');
    await owe.waitFor();
    // 1,000 + 500 invoiced, 120 credited, 400 paid (300 applied to AR-1, 100 unapplied): 980 owed.
    assert.match(await page.getByTestId('owe-balance').innerText(), /980\.00 EUR/);
    assert.match(await page.getByTestId('owe-past-due').innerText(), /700\.00 EUR/);
    assert.match(await page.getByTestId('owe-credits').innerText(), /220\.00 EUR/);
    const open = page.getByTestId('owe-open-items');
    assert.match(await open.getByTestId('owe-item-AR-1').innerText(), /700\.00/);
    assert.match(await open.getByTestId('owe-item-CM-1').innerText(), /-120\.00/);
    assert.match(await open.getByTestId('owe-item-PAY-1').innerText(), /-100\.00/);
    assert.equal(await page.getByText('AR-9').count(), 0, 'another partner’s invoice never shows');
    const activity = await page.getByTestId('owe-activity').innerText();
    assert.match(activity, /Applied 300\.00 of PAY-1 to AR-1/);
    assert.match(await page.getByTestId('owe-closing').innerText(), /980\.00/);
    await shot(page, 'portal-what-i-owe.png');

    const [pdfDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('statement-pdf').click(),
    ]);
    assert.equal(pdfDownload.suggestedFilename(), 'statement-P-1-2026-04-15.pdf');
    const pdf = fs.readFileSync((await pdfDownload.path())!);
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const text = pdfText(pdf);
    assert.match(text, /Statement of account/);
    assert.match(text, /Closing balance on 2026-04-15/);
    assert.match(text, /980\.00 EUR/);

    const [xlsxDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('statement-xlsx').click(),
    ]);
    assert.equal(xlsxDownload.suggestedFilename(), 'statement-P-1-2026-04-15.xlsx');
    const book = await readWorkbook(fs.readFileSync((await xlsxDownload.path())!));
    // Headers are in words ("Total", "Item", "Type", "Balance").
    const cell = (r: Record<string, unknown> | undefined, word: string) =>
      r ? r[Object.keys(r).find((k) => k.toLowerCase() === word.toLowerCase()) ?? ''] : undefined;
    const aging = sheetRecords(book.getWorksheet('Aging')!);
    assert.equal(Number(cell(aging[0], 'Total')), 980);
    const items = sheetRecords(book.getWorksheet('Open items')!);
    assert.deepEqual(items.map((r) => cell(r, 'Item')).sort(), ['AR-1', 'AR-2', 'CM-1', 'PAY-1']);
    const closing = sheetRecords(book.getWorksheet('Activity')!).find(
      (r) => cell(r, 'Type') === 'Closing balance',
    );
    assert.equal(Number(cell(closing, 'Balance')), 980);
  } finally {
    await browser.close();
  }
});

test('a partner disputes an invoice from the portal; the desk finds it routed to the owning team', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await signInPage(page, base, partner);
    await page.goto(`${base}/my-account?from=2026-04-01&as_of=2026-04-15`);
    await page.getByTestId('dispute-AR-2').click();
    const form = page.getByTestId('raise-dispute-form');
    await form.waitFor();
    await form.getByTestId('raise-dispute-category').selectOption('quantity');
    await form.getByTestId('raise-dispute-amount').fill('100.00');
    await form.getByTestId('raise-dispute-description').fill('We received 4 units, the invoice bills 5.');
    await shot(page, 'portal-dispute.png');
    await form.getByTestId('raise-dispute-submit').click();
    await form.waitFor({ state: 'detached' });
    const badge = page.getByTestId('owe-item-AR-2').getByText(/DSP-\d+: received/);
    await badge.waitFor();
    const disputeId = (await badge.innerText()).split(':')[0]!.trim();
    assert.equal(await page.getByTestId('dispute-AR-2').count(), 0, 'one dispute at a time per invoice');
    const mine = page.getByTestId('owe-disputes');
    assert.match(await mine.innerText(), new RegExp(`${disputeId}[\\s\\S]*AR-2[\\s\\S]*100\\.00 EUR`));
    assert.match(await mine.innerText(), /Received by distribution/);

    // The collections desk sees it in the distribution team's queue.
    const desk = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await signInPage(desk, base, collector);
    await desk.goto(`${base}/disputes/${disputeId}`);
    await desk.getByText('We received 4 units, the invoice bills 5.').first().waitFor();
    assert.match(await desk.locator('body').innerText(), /Distribution/);
  } finally {
    await browser.close();
  }
});

test('a partner fills the claim form with its look-ups, attaches the proof of sale and submits', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await signInPage(page, base, partner);
    await page.goto(`${base}/my-claims/new`);
    const form = page.getByTestId('submit-claim-form');
    // A claim number made for the partner.
    const claimNumber = form.getByTestId('claim-id-input');
    for (let i = 0; i < 50 && (await claimNumber.inputValue()) === ''; i++) await page.waitForTimeout(100);
    assert.equal(await claimNumber.inputValue(), 'P-1-20260415-01');
    await form.getByTestId('claim-program-input').click();
    await page.getByRole('option', { name: /Special bids/ }).click();
    const missing = form.getByTestId('claim-missing');
    await missing
      .getByText(/line 1: SKU, quantity, amount per unit, amount, sale date, end customer, deal/)
      .waitFor();
    await missing.getByText('the document “Proof of sale”').waitFor();
    assert.ok(await form.getByTestId('submit-claim').isDisabled());
    await shot(page, 'portal-claim-form-empty.png');

    // Another partner's end customer is not found.
    const customer = form.getByTestId('line-1-end_customer_id');
    await customer.click();
    await customer.fill('Brewery');
    await page.getByText('None of your sales names this customer').waitFor();
    await customer.fill('');
    await page.keyboard.press('Escape');

    // The deal fills SKU, end customer and the authorised amount; the sell-out line the quantity.
    await form.getByTestId('line-1-deal_id').click();
    assert.equal(await page.getByRole('option', { name: /D-2/ }).count(), 0, 'another partner’s deal');
    await page.getByRole('option', { name: /D-1/ }).click();
    assert.equal(await form.getByTestId('line-1-sku').inputValue(), 'X-100');
    assert.equal(await form.getByTestId('line-1-claimed_unit_amount').inputValue(), '20.00');
    assert.match(await form.getByTestId('line-1-end_customer_id').inputValue(), /City hospital/);
    await form.getByTestId('line-1-sale_date').fill('2026-03-01');
    await form.getByTestId('line-1-sell_out_ref').click();
    // Its own sale of 1 March to the hospital only (the other partner's SO-1 is its own).
    assert.equal(await page.getByRole('option').count(), 1);
    await page.getByRole('option', { name: /SO-1 .* 5 left/ }).click();
    assert.equal(await form.getByTestId('line-1-qty').inputValue(), '5');
    assert.equal(await form.getByTestId('line-1-claimed_amount').inputValue(), '100.00');

    // Only the document is missing now; attached, the claim can be submitted.
    assert.deepEqual(await missing.locator('p').allInnerTexts(), [
      'To submit, the claim still needs:',
      '• the document “Proof of sale”',
    ]);
    await form
      .getByTestId('claim-documents')
      .locator('input[type=file]')
      .first()
      .setInputFiles({
        name: 'proof.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4\n%proof\n'),
      });
    await form.getByTestId('claim-complete').waitFor();
    await shot(page, 'portal-claim-form-filled.png');
    await form.getByTestId('submit-claim').click();
    await page.getByTestId('claim-detail').waitFor();
    assert.match(await page.getByTestId('claim-status').innerText(), /Submitted/);
    assert.match(await page.getByTestId('claim-detail').innerText(), /P-1-20260415-01/);

    await validateClaims(tdb.db);
    await page.reload();
    await page.getByTestId('claim-line-1').getByText('Approved', { exact: true }).waitFor();
    assert.equal(await page.getByTestId('finding-MISSING_DOCUMENT').count(), 0);
    const { rows } = await tdb.db.query<{ document_type: string; file_name: string }>(
      `select d.document_type, d.file_name from document_links l join documents d using (account_id, document_id)
       where l.entity_type = 'claim' and l.entity_id = 'P-1-20260415-01'`,
    );
    assert.deepEqual(rows, [{ document_type: 'proof_of_sale', file_name: 'proof.pdf' }]);
  } finally {
    await browser.close();
  }
});

test('every portal page at 1440 px', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await signInPage(page, base, partner);
    const pages = [
      '/',
      '/my-account',
      '/my-claims',
      '/my-claims/new',
      '/my-payments',
      '/my-deductions',
      '/my-programs',
      '/my-deals',
      '/inventory',
      '/uploads',
      '/my-messages',
      '/my-tax-certificates',
      '/my-scorecard',
      '/organisation',
    ];
    for (const p of pages) {
      await page.goto(`${base}${p}`);
      await page.getByTestId('app-world').waitFor();
      await page.waitForLoadState('networkidle');
      await shot(page, `portal${p === '/' ? '-home' : p.replaceAll('/', '-')}.png`);
    }
  } finally {
    await browser.close();
  }
});
