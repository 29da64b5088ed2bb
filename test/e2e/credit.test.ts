import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { addDays, today } from '../../src/core/dates.ts';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { saveOrder } from '../../src/modules/credit/index.ts';
import { addAccount, addUser } from '../helpers/app.ts';
import { launchBrowser, serveApp, signInPage } from './browser.ts';

/**
 * The credit team's page: orders on hold with the recommendation and reasons; one opened beside its
 * account's payments, promises and the collector's latest note, released with a comment; it leaves the list,
 * the release is on record for the ERP, and Account 360 shows the exposure and available credit.
 */

let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
let analyst: { userId: string; email: string; password: string };
const day = today();

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-credit-'));
  await addAccount(tdb.db, 'CR-NW', { name: 'Northwind Traders GmbH', credit_limit: '50000.00' });
  await addAccount(tdb.db, 'CR-NW-B', { name: 'Northwind Berlin', parent_account_id: 'CR-NW' });
  await addAccount(tdb.db, 'CR-CT', { name: 'Contoso Handel AG', credit_limit: '20000.00' });
  await addAccount(tdb.db, 'CR-FB', { name: 'Fabrikam Retail', collector: 'cora@corp.test' });
  const doc = (account: string, id: string, amount: string, due: number) =>
    tdb.db.query(
      `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount)
       values ($1, $2, 'invoice', $3::date - 30, $3, 'EUR', $4)`,
      [account, id, addDays(day, -due), amount],
    );
  await doc('CR-NW', 'INV-CR-1', '12000.00', -10);
  await doc('CR-NW-B', 'INV-CR-2', '3000.00', 5);
  await doc('CR-CT', 'INV-CR-3', '8000.00', 75);
  await doc('CR-FB', 'INV-CR-4', '1500.00', 40);
  await tdb.db.query(
    `insert into ar_payments (account_id, payment_id, received_date, amount, currency)
     values ('CR-NW-B', 'PAY-CR-1', $1, 4200.00, 'EUR')`,
    [addDays(day, -6)],
  );
  await tdb.db.query(
    `insert into promises (account_id, amount, currency, made_on, promised_date)
     values ('CR-NW-B', 6000.00, 'EUR', $1, $2)`,
    [addDays(day, -2), addDays(day, 7)],
  );
  await tdb.db.query(
    `insert into activities (account_id, kind, body, actor) values
       ('CR-NW-B', 'comment', 'Spoke to AP: the June invoices are scheduled for the next payment run.', 'Cora Collector')`,
  );
  const order = (id: string, account: string, amount: string, ago: number) =>
    saveOrder(tdb.db, {
      order_id: id,
      account_id: account,
      order_date: addDays(day, -ago),
      amount,
      currency: 'EUR',
      hold_reason: 'CREDIT',
    });
  await order('SO-5001', 'CR-NW-B', '18000.00', 3);
  await order('SO-5002', 'CR-NW', '25000.00', 2);
  await order('SO-5003', 'CR-CT', '4000.00', 1);
  await order('SO-5004', 'CR-FB', '900.00', 1);
  analyst = await addUser(tdb.db, 'carla@corp.test', ['credit']);
  ({ app, base } = await serveApp(tdb.db, home));
});

after(async () => {
  await app?.close();
  await tdb?.drop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

test('the credit team releases an order on hold with a comment', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
    const page = await context.newPage();
    await signInPage(page, base, analyst);
    await page.goto(`${base}/credit`);
    const grid = page.getByTestId('credit-grid');
    await grid.getByText('SO-5001').waitFor();
    await page.getByTestId('credit-counts').getByText('1 release').waitFor();
    await page.getByTestId('credit-counts').getByText('2 review').waitFor();
    await page.getByTestId('credit-counts').getByText('1 hold').waitFor();
    await page.screenshot({ path: '/tmp/credit-page.png', fullPage: true });

    await grid.getByText('SO-5001').click();
    const modal = page.getByRole('dialog');
    assert.equal((await modal.getByTestId('order-recommendation').textContent())?.trim(), 'release');
    await modal.getByText('4,200.00 EUR').waitFor();
    await modal.getByText('6,000.00 EUR by').waitFor();
    await modal
      .getByTestId('latest-note')
      .getByText(/scheduled for the next payment run/)
      .waitFor();
    await modal.getByTestId('credit-comment').fill('Fits the group limit; AP confirmed the payment run.');
    await page.screenshot({ path: '/tmp/credit-order.png' });
    await modal.getByTestId('credit-release').click();
    await modal.waitFor({ state: 'detached' });
    await grid.getByText('SO-5001').waitFor({ state: 'detached' });

    const { rows } = await tdb.db.query<{ status: string; released_by: string; release_comment: string }>(
      `select status, released_by, release_comment from credit_orders where order_id = 'SO-5001'`,
    );
    assert.deepEqual(rows[0], {
      status: 'released',
      released_by: 'carla',
      release_comment: 'Fits the group limit; AP confirmed the payment run.',
    });
    const csv = await page.request.get(`${base}/api/credit/releases/export`);
    assert.match(await csv.text(), /SO-5001,.*,carla,Fits the group limit; AP confirmed the payment run\./);

    // Account 360: the child is covered by the parent's limit.
    await page.goto(`${base}/accounts/CR-NW-B`);
    const card = page.getByTestId('account-credit');
    await card.getByText('Covered by the limit of').waitFor();
    // 12,000 + 3,000 open less 4,200 unapplied cash, and 25,000 still on hold: 35,800 exposure, 14,200 available.
    assert.equal((await card.getByTestId('credit-exposure').textContent())?.trim(), '35,800.00 EUR');
    assert.equal((await card.getByTestId('credit-available').textContent())?.trim(), '14,200.00 EUR');
    await page.screenshot({ path: '/tmp/credit-account.png', fullPage: true });

    // The aging by account shows each account's exposure and available credit beside its buckets.
    await page.goto(`${base}/aging`);
    const aging = page.getByTestId('aging-grid');
    await aging.getByText('Available', { exact: true }).waitFor();
    await aging.getByText('14,200.00').first().waitFor();
    await page.screenshot({ path: '/tmp/credit-aging.png' });
  } finally {
    await browser.close();
  }
});
