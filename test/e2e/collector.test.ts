import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { buildServer } from '../../src/http/server.ts';
import { runImport } from '../../src/modules/imports/index.ts';
import { fileSystemStore } from '../../src/modules/platform/index.ts';
import { addUser } from '../helpers/app.ts';
import { launchBrowser } from './browser.ts';

/**
 * The collector's day end to end: the worklist shows their account with a past-due invoice, the account page
 * its timeline, a call with the outcome "promised" and its promise to pay, both shown once recorded.
 */

let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
let collector: { email: string; password: string };

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const promisedDate = day(10);

const files: [string, string[]][] = [
  [
    'accounts.csv',
    [
      'account_id,name,country,currency,payment_terms_days,collector,segment',
      'C1,Northwind Distribution,DE,EUR,30,cora@corp.test,key',
      'C2,Contoso Supplies,US,USD,45,bob@corp.test,smb',
    ],
  ],
  [
    'invoices.csv',
    [
      'document_id,account_id,type,document_date,due_date,currency,amount,tax_amount,reference,po_number',
      `INV-10,C1,invoice,${day(-70)},${day(-40)},EUR,1200.00,,R1,PO-1`,
      `INV-11,C2,invoice,${day(-70)},${day(-40)},USD,800.00,,,`,
    ],
  ],
];

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-collector-'));
  for (const [name, lines] of files) {
    const file = path.join(home, name);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const result = await runImport(tdb.db, { path: file, source: 'cli' });
    assert.equal(result.status, 'loaded', `${name}: ${JSON.stringify(result.errors)}`);
  }
  collector = await addUser(tdb.db, 'cora@corp.test', ['collector']);
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

test('a collector opens the worklist and an account, logs a call with a promise and sees both', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
    await signIn(page, collector);
    await page.getByTestId('nav').getByText('Worklist', { exact: true }).click();

    // Only the collector's own account, with its past-due invoice and the next action.
    const grid = page.getByTestId('worklist-grid');
    const row = grid.locator('.ag-row').filter({ hasText: 'C1' });
    await row.waitFor();
    assert.equal(await grid.locator('.ag-row').count(), 1, 'only the collector’s own accounts');
    const cell = async (column: string) =>
      ((await row.locator(`[col-id=${column}]`).textContent()) ?? '').trim();
    assert.equal(await cell('currency'), 'EUR');
    assert.equal(await cell('past_due_amount'), '1,200.00');
    assert.equal(await cell('oldest_days_past_due'), '40');
    assert.equal(await cell('broken_promises'), '0');
    assert.equal(await cell('next_action'), 'send past-due notice');
    await page.screenshot({ path: '/tmp/worklist.png', fullPage: true });

    // A row opens the account page, with its open items and an empty timeline.
    await row.locator('[col-id=account_id]').click();
    await page.waitForURL(/\/accounts\/C1$/);
    await page.getByTestId('account-open-items').getByText('INV-10').waitFor();
    const timeline = page.getByTestId('account-timeline');
    await timeline.getByText('No comments, calls or e-mails yet.').waitFor();
    await page.getByTestId('promises-list').getByText('No promises yet', { exact: false }).waitFor();

    // Log a call: promised to pay, with the amount and the date.
    await timeline.getByText('Log a call', { exact: true }).click();
    const form = page.getByTestId('log-call-form');
    await form.getByTestId('call-outcome').click();
    await page.getByRole('option', { name: 'Promised to pay' }).click();
    await form.getByTestId('promise-amount').fill('600.00');
    await form.getByTestId('promise-date').fill(promisedDate);
    await form.getByTestId('activity-body').fill('Spoke to accounts payable; half now, half next month.');
    await form.getByRole('button', { name: 'Log call and promise' }).click();

    // The call and the promise in the timeline, the promise in the list.
    const entries = timeline.getByTestId('timeline-entry');
    await entries.filter({ hasText: 'Call: Promised to pay' }).waitFor();
    await entries.filter({ hasText: 'Promise to pay' }).first().waitFor();
    const texts = (await entries.allTextContents()).map((s) => s.replace(/\s+/g, ' '));
    assert.ok(
      texts.some((s) => /Call: Promised to pay.*half now, half next month/.test(s)),
      texts.join('\n'),
    );
    assert.ok(
      texts.some((s) => s.includes(`Promised EUR 600.00 by ${promisedDate}`)),
      texts.join('\n'),
    );
    const promise = page.getByTestId('promises-list').getByTestId('promise-row');
    await promise.waitFor();
    const promiseText = ((await promise.textContent()) ?? '').replace(/\s+/g, ' ');
    assert.match(promiseText, /600\.00 EUR/);
    assert.match(promiseText, /open/);
    await page.screenshot({ path: '/tmp/account-collections.png', fullPage: true });

    // Back on the worklist, the account now waits on its open promise.
    await page.getByTestId('nav').getByText('Worklist', { exact: true }).click();
    const again = page.getByTestId('worklist-grid').locator('.ag-row').filter({ hasText: 'C1' });
    await again.locator('[col-id=next_action]').filter({ hasText: 'wait — promise to pay' }).waitFor();
    assert.match((await again.locator('[col-id=open_promise]').textContent()) ?? '', /600\.00 EUR/);
  } finally {
    await browser.close();
  }
});
