import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { buildServer } from '../../src/http/server.ts';
import { approveClaims, validateClaims } from '../../src/modules/claims/index.ts';
import { runImport } from '../../src/modules/imports/index.ts';
import { fileSystemStore } from '../../src/modules/platform/index.ts';
import { runSettlement } from '../../src/modules/settlement/index.ts';
import { addUser } from '../helpers/app.ts';
import { launchBrowser } from './browser.ts';

/**
 * Settlement in the browser: an approver opens a batch held for its amount, releases it and downloads its
 * NACHA file; the partner opens Payments in the portal and downloads its payment advice.
 */
let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
let batchId: string;
let approver: { email: string; password: string };
let partner: { email: string; password: string };

const data: [string, string][] = [
  [
    'accounts.csv',
    `account_id,name,country,currency,bank_routing_number,bank_account_number
E-A,Northwind Supplies,US,USD,011000015,12345678
E-B,Contoso Retail,US,USD,021000021,7777`,
  ],
  ['products.csv', 'sku,name\nE-X,Printer\n'],
  [
    'programs.json',
    JSON.stringify({
      program_id: 'E-ACH',
      name: 'Sell-out paid by ACH',
      type: 'sell_out',
      currency: 'USD',
      country: 'US',
      start_date: '2026-01-01',
      end_date: '2026-12-31',
      per_unit_amount: '2.50',
      payment_method: 'ach',
    }),
  ],
  [
    'inventory.csv',
    'account_id,sku,as_of_date,on_hand_qty,kind\nE-A,E-X,2026-01-01,100,opening\nE-B,E-X,2026-01-01,100,opening',
  ],
  [
    'sell_out.csv',
    'account_id,sell_out_ref,sale_date,sku,qty\nE-A,A1,2026-10-01,E-X,8\nE-B,B1,2026-10-02,E-X,4',
  ],
  [
    'claims.csv',
    `claim_id,account_id,program_id,submitted_date,currency,line_no,sku,qty,claimed_unit_amount,claimed_amount,sale_date,sell_out_ref
E-1,E-A,E-ACH,2026-10-20,USD,1,E-X,8,2.50,20.00,2026-10-01,A1
E-2,E-B,E-ACH,2026-10-20,USD,1,E-X,4,2.50,10.00,2026-10-02,B1`,
  ],
];

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-settlement-'));
  for (const [name, content] of data) {
    const p = path.join(home, name);
    fs.writeFileSync(p, content);
    const r = await runImport(tdb.db, { path: p, source: 'cli', activatePrograms: true });
    assert.equal(r.status, 'loaded', `${name}: ${JSON.stringify(r.errors)}`);
  }
  await validateClaims(tdb.db);
  assert.equal((await approveClaims(tdb.db)).length, 2);
  const run = await runSettlement(tdb.db, {
    outDir: path.join(home, 'out'),
    asOf: '2026-11-24',
    releaseLimit: '25.00',
  });
  assert.equal(run.batches.length, 1);
  assert.equal(run.batches[0]!.status, 'draft');
  batchId = run.batches[0]!.batch_id;
  approver = await addUser(tdb.db, 'ava@corp.test', ['approver']);
  partner = await addUser(tdb.db, 'pat@northwind.test', ['partner'], 'E-A');
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

test('an approver releases a held batch and downloads its NACHA file; the partner gets its advice', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const desk = await browser.newPage({
      viewport: { width: 1440, height: 1000 },
      locale: 'en-US',
      acceptDownloads: true,
    });
    await signIn(desk, approver);
    await desk.getByTestId('nav').getByText('Payment batches', { exact: true }).click();
    const row = desk.getByTestId('batches-grid').locator('.ag-row').filter({ hasText: batchId });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /Waiting for release/);
    await row.click();
    const detail = desk.getByTestId('batch-detail');
    await detail.waitFor();
    await detail.getByText('Waiting for release').waitFor();
    assert.equal(await desk.getByTestId('batch-payments-grid').locator('.ag-row').count(), 2);

    // Held: its files are listed but not downloadable before the release.
    assert.ok(await desk.getByTestId(`file-${batchId}.ach`).isDisabled());
    // The release asks for a confirmation with a comment.
    await desk.getByTestId('batch-release').click();
    await desk.getByTestId('release-comment').fill('Checked against the claims');
    await desk.getByTestId('release-confirm').click();
    await detail.getByText('Released', { exact: true }).first().waitFor();
    await desk.getByTestId('batch-release').waitFor({ state: 'detached' });
    const paid = desk.getByTestId('batch-payments-grid').locator('.ag-row').filter({ hasText: 'E-1' });
    await paid.locator('[col-id=status]').filter({ hasText: 'Paid' }).waitFor();
    await desk.screenshot({ path: '/tmp/e2e-batch-released.png', fullPage: true });

    const [download] = await Promise.all([
      desk.waitForEvent('download'),
      desk.getByTestId(`file-${batchId}.ach`).click(),
    ]);
    assert.equal(download.suggestedFilename(), `${batchId}.ach`);
    const nacha = fs.readFileSync((await download.path())!, 'ascii');
    const records = nacha.split('\n').filter(Boolean);
    assert.ok(records.every((l) => l.length === 94));
    assert.ok(records.some((l) => l.startsWith('705') && l.includes('E-1')));
    assert.ok(records.some((l) => l.startsWith('705') && l.includes('E-2')));
    const { rows } = await tdb.db.query<{ status: string }>('select status from claims order by claim_id');
    assert.deepEqual(
      rows.map((r) => r.status),
      ['paid', 'paid'],
    );

    const portal = await browser.newPage({
      viewport: { width: 1440, height: 1000 },
      locale: 'en-US',
      acceptDownloads: true,
    });
    await signIn(portal, partner);
    await portal.getByTestId('nav').getByText('Payments', { exact: true }).click();
    const advices = portal.getByTestId('my-advices').getByTestId('advice-row');
    await advices.first().waitFor();
    assert.equal(await advices.count(), 1, 'its own advice only');
    const text = ((await advices.first().textContent()) ?? '').replace(/\s+/g, ' ');
    assert.match(text, new RegExp(batchId));
    assert.match(text, /E-A/);
    assert.match(text, /20\.00 USD/);
    assert.match(text, /Paid/);
    await portal.screenshot({ path: '/tmp/e2e-portal-advice.png', fullPage: true });
    const [pdf] = await Promise.all([
      portal.waitForEvent('download'),
      advices.first().getByTestId('advice-pdf').click(),
    ]);
    assert.equal(pdf.suggestedFilename(), `${batchId}-advice-E-A.pdf`);
    assert.equal(
      fs
        .readFileSync((await pdf.path())!)
        .subarray(0, 5)
        .toString('latin1'),
      '%PDF-',
    );
    const grid = portal.getByTestId('my-payments-grid');
    await grid.locator('.ag-row').first().waitFor();
    assert.equal(await grid.locator('.ag-row').count(), 1, 'E-2 belongs to another partner');
    assert.equal(await portal.getByTestId('my-payments-total').textContent(), '1 payment');
    // The partner's inventory positions, a page at a time with the number of every position.
    await portal.getByTestId('nav').getByText('Inventory', { exact: true }).click();
    const positions = portal.getByTestId('positions-grid');
    await positions.locator('.ag-row').first().waitFor();
    assert.equal(await positions.locator('.ag-row').count(), 1);
    assert.equal(await portal.getByTestId('positions-total').textContent(), '1 position');
  } finally {
    await browser.close();
  }
});
