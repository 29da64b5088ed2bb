import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { buildServer } from '../../src/http/server.ts';
import { fileSystemStore } from '../../src/modules/platform/index.ts';
import { addAccount, addUser } from '../helpers/app.ts';
import { launchBrowser } from './browser.ts';

let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
let admin: { email: string; password: string };
let partner: { email: string; password: string };

const productsCsv = [
  'sku,name,family,category,list_price,currency',
  'X-100,LaserJet X100,LaserJet,laser-mono,499.00,EUR',
  'X-200,LaserJet X200 Color,LaserJet,laser-color,899.50,EUR',
].join('\n');

// Line 3 (the header is line 1) has a date that does not exist.
const sellOutCsv = [
  'account_id,sell_out_ref,sale_date,sku,qty,unit_price,currency,end_customer_id,partner_invoice_no,serial_numbers',
  'P-1001,SO-1,2026-02-14,X-100,2,480.00,EUR,,INV-77,',
  'P-1001,SO-2,2026-02-30,X-100,1,480.00,EUR,,INV-78,',
  'P-1001,SO-3,2026-02-20,X-200,3,870.00,EUR,,INV-79,',
].join('\n');

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-'));
  await addAccount(tdb.db, 'P-1001', { name: 'Northwind Distribution' });
  admin = await addUser(tdb.db, 'adam@corp.test', ['administrator']);
  partner = await addUser(tdb.db, 'paula@northwind.test', ['partner'], 'P-1001');
  app = await buildServer({
    db: tdb.db,
    store: fileSystemStore(path.join(home, 'documents')),
    logger: false,
    maxUploadBytes: 1024 * 1024,
    sessionHours: 1,
    secureCookies: false,
    web: { dev: false },
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

after(async () => {
  await app?.close();
  await tdb?.drop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto(`${base}/sign-in`);
  const form = page.getByTestId('sign-in-form');
  await form.getByLabel(/e-?mail/i).fill(who.email);
  await form.getByLabel(/password/i).fill(who.password);
  await form.getByRole('button', { name: /sign in/i }).click();
  await page.getByTestId('app-world').waitFor();
}

async function drop(page: Page, name: string, content: string) {
  await page
    .getByTestId('import-dropzone')
    .locator('input[type=file]')
    .setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content) });
}

test('an administrator loads products, sees a refused sell-out file with its errors, and both in the history', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1100 } });
    await signIn(page, admin);
    await page.getByTestId('nav').getByText('Imports').click();
    // The templates panel is generated from the server's list.
    await page.getByTestId('import-templates').getByText('sell_out.csv', { exact: true }).waitFor();

    await drop(page, 'products.csv', productsCsv);
    const loaded = page.locator('[data-testid=import-result][data-status=loaded]');
    await loaded.waitFor();
    assert.match((await loaded.textContent()) ?? '', /products\.csv was loaded/);
    assert.equal((await page.getByTestId('count-total').textContent())?.replace(/\D/g, ''), '2');
    assert.equal((await page.getByTestId('count-inserted').textContent())?.replace(/\D/g, ''), '2');
    assert.equal((await page.getByTestId('count-unchanged').textContent())?.replace(/\D/g, ''), '0');

    await drop(page, 'sell_out.csv', sellOutCsv);
    const refused = page.locator('[data-testid=import-result][data-status=rejected]');
    await refused.waitFor();
    assert.match((await refused.textContent()) ?? '', /sell_out\.csv was refused/);
    const errors = page.getByTestId('import-errors');
    const row = errors.locator('.ag-row').filter({ hasText: '2026-02-30' });
    await row.waitFor();
    assert.equal((await row.locator('[col-id=line]').textContent())?.trim(), '3');
    assert.equal((await row.locator('[col-id=column]').textContent())?.trim(), 'sale_date');
    const reason = (await row.locator('[col-id=reason]').textContent())?.trim() ?? '';
    assert.ok(reason.length > 0, 'the error states a reason');

    // The refused rows can be downloaded, with their line and what is wrong.
    const href = await page.getByTestId('download-rejected').getAttribute('href');
    assert.ok(href);
    const csv = await (await page.request.get(`${base}${href}`)).text();
    assert.match(csv, /2026-02-30/);
    assert.match(csv.split('\n')[0] ?? '', /line/);

    // The history lists both.
    const history = page.getByTestId('import-history');
    await history.getByText('sell_out.csv', { exact: true }).waitFor();
    await history.getByText('products.csv').waitFor();
    await history.getByText('Refused').first().waitFor();
    await history.getByText('Loaded').first().waitFor();

    await page.screenshot({ path: '/tmp/imports.png', fullPage: true });

    // A history row opens the import with the same result view.
    await history.getByText('products.csv').click();
    await page.locator('[data-testid=import-result][data-status=loaded]').waitFor();
    await page.getByTestId('import-facts').waitFor();

    // The loaded products are in the catalogue.
    await page.getByTestId('nav').getByText('Products').click();
    await page.getByTestId('products-grid').getByText('LaserJet X200 Color').waitFor();
    await page.getByTestId('products-grid').getByText('X-100', { exact: true }).click();
    await page.getByTestId('price-history').waitFor();
    await page.getByTestId('audit-trail').waitFor();
  } finally {
    await browser.close();
  }
});

test('a partner user uploads only the templates partners send', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const page = await browser.newPage();
    await signIn(page, partner);
    await page.getByTestId('nav').getByText('Uploads').click();
    const templates = page.getByTestId('import-templates');
    await templates.getByText('sell_out.csv', { exact: true }).waitFor();
    assert.equal(await templates.getByText('products.csv', { exact: true }).count(), 0);
    assert.equal(await templates.getByText('accounts.csv', { exact: true }).count(), 0);
  } finally {
    await browser.close();
  }
});

test('a file dropped before the templates have loaded is held and uploaded, not lost', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await signIn(page, admin);
    // The templates arrive late (a slow network); a bank file with its own extension is dropped before.
    let release: () => void = () => {};
    const late = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/api/import-templates', async (route) => {
      await late;
      await route.continue();
    });
    await page.goto(`${base}/imports`);
    const bank = fs.readFileSync(path.join(import.meta.dirname, '../fixtures/bank/bai2/sample1.txt'));
    await page
      .getByTestId('import-dropzone')
      .locator('input[type=file]')
      .setInputFiles({ name: 'statement-0101.bai', mimeType: 'application/octet-stream', buffer: bank });
    await page.getByTestId('import-held').getByText('statement-0101.bai').waitFor();
    assert.equal(await page.getByText('Not uploaded').count(), 0);
    release();
    // Once the templates are known the file goes up and is read as a bank file.
    await page.locator('[data-testid=import-result]').waitFor({ timeout: 30_000 });
    assert.match((await page.getByTestId('import-result').textContent()) ?? '', /statement-0101\.bai/);
    assert.equal(await page.getByTestId('import-held').count(), 0);
  } finally {
    await browser.close();
  }
});
