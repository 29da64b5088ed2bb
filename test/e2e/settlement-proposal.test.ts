import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { approveClaims, validateClaims } from '../../src/modules/claims/index.ts';
import { runImport } from '../../src/modules/imports/index.ts';
import { addUser } from '../helpers/app.ts';
import { launchBrowser, serveApp, signInPage } from './browser.ts';

/**
 * The payment proposal in the browser: on a Saturday an analyst is proposed Monday as the payment date, builds
 * the proposal, excludes one claim with a reason and submits it; the ACH batch is above the release limit and
 * waits, its files listed but not downloadable; an approver releases it with a comment after confirming the
 * total, and the NACHA file downloads from then on.
 */
let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
let analyst: { email: string; password: string };
let approver: { email: string; password: string };
const saved = {
  today: process.env.CLEARHOUSE_TODAY,
  limit: process.env.CLEARHOUSE_SETTLEMENT_RELEASE_LIMIT,
};

const program = (id: string, method: string) => ({
  program_id: id,
  name: `Sell-out paid by ${method}`,
  type: 'sell_out',
  currency: 'USD',
  country: 'US',
  start_date: '2026-01-01',
  end_date: '2026-12-31',
  per_unit_amount: '2.50',
  payment_method: method,
});

const data: [string, string][] = [
  [
    'accounts.csv',
    `account_id,name,country,currency,bank_routing_number,bank_account_number
P-A,Northwind Supplies,US,USD,011000015,12345678
P-B,Contoso Retail,US,USD,021000021,7777
P-C,Fabrikam Stores,US,USD,,`,
  ],
  ['products.csv', 'sku,name\nP-X,Printer\n'],
  ['programs.json', JSON.stringify([program('P-ACH', 'ach'), program('P-CM', 'credit_memo')])],
  [
    'inventory.csv',
    'account_id,sku,as_of_date,on_hand_qty,kind\nP-A,P-X,2026-01-01,100,opening\nP-B,P-X,2026-01-01,100,opening\nP-C,P-X,2026-01-01,100,opening',
  ],
  [
    'sell_out.csv',
    `account_id,sell_out_ref,sale_date,sku,qty
P-A,A1,2026-10-01,P-X,8
P-A,A2,2026-10-02,P-X,4
P-A,A3,2026-10-03,P-X,2
P-B,B1,2026-10-02,P-X,6
P-C,C1,2026-10-02,P-X,2`,
  ],
  [
    'claims.csv',
    `claim_id,account_id,program_id,submitted_date,currency,line_no,sku,qty,claimed_unit_amount,claimed_amount,sale_date,sell_out_ref
W-1,P-A,P-ACH,2026-10-20,USD,1,P-X,8,2.50,20.00,2026-10-01,A1
W-2,P-A,P-ACH,2026-10-20,USD,1,P-X,4,2.50,10.00,2026-10-02,A2
W-3,P-A,P-ACH,2026-10-20,USD,1,P-X,2,2.50,5.00,2026-10-03,A3
W-4,P-B,P-ACH,2026-10-20,USD,1,P-X,6,2.50,15.00,2026-10-02,B1
W-5,P-C,P-CM,2026-10-20,USD,1,P-X,2,2.50,5.00,2026-10-02,C1`,
  ],
];

before(async () => {
  // A Saturday: the payment date proposed is Monday.
  process.env.CLEARHOUSE_TODAY = '2026-11-28';
  process.env.CLEARHOUSE_SETTLEMENT_RELEASE_LIMIT = '25.00';
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-proposal-'));
  for (const [name, content] of data) {
    const p = path.join(home, name);
    fs.writeFileSync(p, content);
    const r = await runImport(tdb.db, { path: p, source: 'cli', activatePrograms: true });
    assert.equal(r.status, 'loaded', `${name}: ${JSON.stringify(r.errors)}`);
  }
  await validateClaims(tdb.db);
  assert.equal((await approveClaims(tdb.db)).length, 5);
  analyst = await addUser(tdb.db, 'ana@corp.test', ['rebate_analyst']);
  approver = await addUser(tdb.db, 'ava@corp.test', ['approver']);
  ({ app, base } = await serveApp(tdb.db, home));
});

after(async () => {
  await app?.close();
  await tdb?.drop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
  for (const [key, value] of [
    ['CLEARHOUSE_TODAY', saved.today],
    ['CLEARHOUSE_SETTLEMENT_RELEASE_LIMIT', saved.limit],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

test('a proposal is built, one claim excluded, submitted; the held batch is released with a comment', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
    await signInPage(page, base, analyst);
    await page.getByTestId('nav').getByText('Payment batches', { exact: true }).click();
    await page.getByTestId('new-proposal').click();
    const date = page.getByTestId('proposal-date');
    // The field is filled with the proposed date once the server answered.
    // (Shown in the user's locale; `data-value` is the date itself.)
    for (let i = 0; i < 100 && !(await date.getAttribute('data-value')); i++) await page.waitForTimeout(50);
    assert.equal(await date.getAttribute('data-value'), '2026-11-30', 'Saturday: Monday is proposed');
    // A Sunday is refused with the reason; the next business day is offered.
    await date.fill('2026-11-29');
    await page.getByText(/2026-11-29 is a Sunday/).waitFor();
    assert.ok(await page.getByTestId('proposal-build').isDisabled());
    await page.screenshot({ path: '/tmp/e2e-proposal-date.png' });
    await date.fill('2026-11-30');
    await page.getByTestId('proposal-build').click();

    const detail = page.getByTestId('proposal-detail');
    await detail.waitFor();
    const grid = page.getByTestId('proposal-grid');
    await grid.locator('.ag-row').first().waitFor();
    assert.equal(await grid.locator('.ag-row').count(), 5);
    const blocked = grid.locator('.ag-row').filter({ hasText: 'W-5' });
    assert.match((await blocked.textContent()) ?? '', /Included/, 'a credit memo needs no bank details');
    assert.match((await page.getByTestId('proposal-total').textContent()) ?? '', /55\.00 USD/);
    const partners = (await page.getByTestId('proposal-partners').textContent()) ?? '';
    assert.match(partners, /Northwind Supplies.*35\.00 USD/);

    // Exclude W-3 with a reason.
    await page.getByTestId('exclude-W-3').click();
    await page.getByTestId('exclude-reason').fill('Partner disputes the quantity');
    await page.getByTestId('exclude-confirm').click();
    await grid
      .locator('.ag-row')
      .filter({ hasText: 'W-3' })
      .getByText('Partner disputes the quantity')
      .waitFor();
    await page.getByTestId('proposal-total').getByText('50.00 USD').waitFor();
    await page.getByTestId('exclude-reason').waitFor({ state: 'hidden' });
    const batches = (await page.getByTestId('proposal-batches').textContent()) ?? '';
    assert.match(batches, /ACH(SLA priority)?3 ?45\.00 USD ?Waits for release/);
    await page.screenshot({ path: '/tmp/e2e-proposal-built.png', fullPage: true });

    // Submit, after the confirmation shows what is paid and what will wait.
    await page.getByTestId('proposal-submit').click();
    const confirmation = page.getByTestId('submit-confirmation');
    await confirmation.waitFor();
    await page.waitForTimeout(300); // the dialog's opening transition, for the screenshot
    const said = ((await confirmation.textContent()) ?? '').replace(/\s+/g, ' ');
    assert.match(said, /Pay 4 claim\(s\), 50\.00 USD, on/);
    assert.match(said, /1 batch\(es\) above 25\.00 will wait/);
    await page.screenshot({ path: '/tmp/e2e-proposal-confirm.png' });
    await page.getByTestId('submit-confirm').click();
    const result = page.getByTestId('proposal-result');
    await result.waitFor();
    await confirmation.waitFor({ state: 'hidden' });
    assert.match((await result.textContent()) ?? '', /4 claim\(s\) in 2 batch\(es\); 1 excluded/);
    await page.screenshot({ path: '/tmp/e2e-proposal-submitted.png', fullPage: true });
    const { rows } = await tdb.db.query<{ claim_id: string; status: string }>(
      'select claim_id, status from claims order by claim_id',
    );
    assert.deepEqual(
      rows.map((r) => [r.claim_id, r.status]),
      [
        ['W-1', 'in_payment'],
        ['W-2', 'in_payment'],
        ['W-3', 'approved'],
        ['W-4', 'in_payment'],
        ['W-5', 'paid'],
      ],
    );
    const { rows: held } = await tdb.db.query<{ batch_id: string }>(
      `select batch_id from payment_batches where method = 'ach' and status = 'draft'`,
    );
    const batchId = held[0]!.batch_id;

    // The held batch: its files are listed, not downloadable.
    await result.getByTestId(`result-batch-${batchId}`).click();
    await page.getByTestId('batch-detail').waitFor();
    await page.getByTestId('files-held').waitFor();
    assert.ok(await page.getByTestId(`file-${batchId}.ach`).isDisabled());
    const early = await page.request.get(`${base}/api/settlement/batches/${batchId}/files/${batchId}.ach`);
    assert.equal(early.status(), 409);
    await page.getByTestId('batch-release').waitFor({ state: 'detached' });
    await page.screenshot({ path: '/tmp/e2e-proposal-held.png', fullPage: true });

    // An approver releases it with a comment, after seeing its total and count.
    const desk = await browser.newPage({
      viewport: { width: 1440, height: 1000 },
      locale: 'en-US',
      acceptDownloads: true,
    });
    await signInPage(desk, base, approver);
    await desk.goto(`${base}/payment-batches?batch=${batchId}`);
    await desk.getByTestId('batch-release').click();
    const release = desk.getByTestId('release-confirmation');
    await release.waitFor();
    assert.match(
      ((await release.textContent()) ?? '').replace(/\s+/g, ' '),
      /Pay 3 claim\(s\), 45\.00 USD, by ACH/,
    );
    assert.ok(await desk.getByTestId('release-confirm').isDisabled(), 'a comment is required');
    await desk.getByTestId('release-comment').fill('Totals match the proposal; bank details verified');
    await desk.waitForTimeout(300); // the dialog's opening transition, for the screenshot
    await desk.screenshot({ path: '/tmp/e2e-proposal-release.png' });
    await desk.getByTestId('release-confirm').click();
    await desk
      .getByTestId('batch-release-comment')
      .getByText(/bank details verified/)
      .waitFor();
    await desk.getByTestId('files-held').waitFor({ state: 'detached' });
    await release.waitFor({ state: 'hidden' });
    await desk.screenshot({ path: '/tmp/e2e-proposal-released.png', fullPage: true });
    const [download] = await Promise.all([
      desk.waitForEvent('download'),
      desk.getByTestId(`file-${batchId}.ach`).click(),
    ]);
    assert.equal(download.suggestedFilename(), `${batchId}.ach`);
    const nacha = fs.readFileSync((await download.path())!, 'ascii');
    // The effective date is the Monday: YYMMDD in the batch header.
    assert.ok(nacha.split('\n').some((l) => l.startsWith('5') && l.includes('261130')));
    const { rows: paid } = await tdb.db.query<{ status: string }>(
      `select status from claims where claim_id in ('W-1', 'W-2', 'W-4')`,
    );
    assert.ok(paid.every((r) => r.status === 'paid'));
  } finally {
    await browser.close();
  }
});
