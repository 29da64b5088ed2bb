import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { addUser, loadFiles } from '../helpers/app.ts';
import { launchBrowser, serveApp, signInPage } from './browser.ts';

/**
 * The collector's home to the worklist at 1440 px: the home shows the figures (past due per currency and all
 * in USD) and the accounts to chase; "Open all" leads to the worklist, where two accounts are selected and
 * assigned to another collector in one go (confirmed), and a row's next action — a reminder — is done with
 * one click and a confirmation; clicking it again the same day — or the strategy's next step on the account
 * page — sends nothing twice.
 */
let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
let collector: { email: string; password: string };
const saved = { home: process.env.CLEARHOUSE_HOME, smtp: process.env.SMTP_URL };
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

const files: [string, string[]][] = [
  [
    'accounts.csv',
    [
      'account_id,name,country,currency,payment_terms_days,collector,segment,billing_email,claims_email',
      'H1,Northwind Distribution,DE,EUR,30,cora@corp.test,key,ap@northwind.test,',
      'H2,Contoso Supplies,US,USD,30,cora@corp.test,smb,ap@contoso.test,',
      'H3,Fabrikam Partners,DE,EUR,30,cora@corp.test,,ap@fabrikam.test,',
    ],
  ],
  [
    'invoices.csv',
    [
      'document_id,account_id,type,document_date,due_date,currency,amount,tax_amount,reference,po_number',
      `INV-H1,H1,invoice,${day(-70)},${day(-40)},EUR,1000.00,,,`,
      `INV-H2,H2,invoice,${day(-70)},${day(-40)},USD,2000.00,,,`,
      `INV-H3,H3,invoice,${day(-30)},${day(-10)},EUR,300.00,,,`,
    ],
  ],
  ['fx_rates.csv', ['rate_date,currency,rate', `${day(-20)},EUR,1.10`]],
];

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-desk-home-'));
  process.env.CLEARHOUSE_HOME = home;
  delete process.env.SMTP_URL; // e-mails go to the outbox under CLEARHOUSE_HOME
  await loadFiles(
    tdb.db,
    home,
    files.map(([name, lines]) => [name, `${lines.join('\n')}\n`] as const),
  );
  collector = await addUser(tdb.db, 'cora@corp.test', ['collector']);
  ({ app, base } = await serveApp(tdb.db, home));
});

after(async () => {
  await app?.close();
  await tdb?.drop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
  for (const [k, v] of [
    ['CLEARHOUSE_HOME', saved.home],
    ['SMTP_URL', saved.smtp],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

test('the collector’s home leads to the worklist: bulk assign and the next action in one click', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
    await signInPage(page, base, collector);

    // The home: the figures of a collector and the accounts to chase, the largest first (in USD).
    const mine = page.getByTestId('home-collector');
    await mine.waitFor();
    await mine.getByTestId('figure-Accounts past due').getByText('3').waitFor();
    await mine.getByTestId('figure-Past due, all in USD').getByText('3,430.00 USD').waitFor(); // 1,300 × 1.1 + 2,000
    const chase = mine.getByTestId('work-worklist');
    const first = chase.locator('[data-testid^=work-item-]').first();
    assert.match((await first.textContent()) ?? '', /Contoso Supplies \(H2\)/);
    await page.screenshot({ path: '/tmp/desk-home-collector.png' });
    await chase.getByRole('link', { name: /Open all/ }).click();
    await page.waitForURL(/\/worklist$/);

    // The priority explains itself.
    const grid = page.getByTestId('worklist-grid');
    const row = (id: string) => grid.locator('.ag-row').filter({ hasText: id }).first();
    await row('H1').waitFor();
    await page.getByTestId('priority-H1').hover();
    await page.getByText(/EUR 1,000\.00 past due not in dispute = USD 1,100\.00 at 1\.1000 × 1\.5/).waitFor();

    // Select two accounts and assign them to another collector.
    await page.getByTestId('select-H1').click();
    await page.getByTestId('select-H3').click();
    const bar = page.getByTestId('worklist-bulk');
    await bar.getByText('2 selected').waitFor();
    await page.getByTestId('bulk-collector').fill('dan@corp.test');
    await page.getByTestId('bulk-assign').click();
    await page.getByTestId('confirm-bulk-assign').click();
    await page.getByText('2 assigned').waitFor();
    const { rows } = await tdb.db.query<{ account_id: string; collector: string }>(
      `select account_id, collector from accounts where account_id like 'H%' order by 1`,
    );
    assert.deepEqual(
      rows.map((r) => `${r.account_id}:${r.collector}`),
      ['H1:dan@corp.test', 'H2:cora@corp.test', 'H3:dan@corp.test'],
    );
    // Their accounts leave Cora's worklist.
    await row('H1').waitFor({ state: 'detached' });
    await page.screenshot({ path: '/tmp/desk-worklist-assigned.png' });

    // The next action of H2 in one click, confirmed: a reminder e-mailed once.
    await page.getByTestId('next-action-H2').click();
    await page.getByTestId('confirm-next-action').click();
    await page.getByText(/E-mailed to ap@contoso\.test/).waitFor();
    await page.getByTestId('next-action-H2').click();
    await page.getByTestId('confirm-next-action').click();
    await page.getByText(/Sent today already/).waitFor();
    // The account page offers the strategy's next step as the same action: done today already.
    await page.goto(`${base}/accounts/H2`);
    await page.getByTestId('strategy-do-next').click();
    await page.getByTestId('confirm-next-action').click();
    await page
      .getByText(/Sent today already/)
      .first()
      .waitFor();
    await page.screenshot({ path: '/tmp/desk-account-next-step.png' });
    const sent = await tdb.db.query<{ n: number }>(
      `select count(*)::int as n from emails where account_id = 'H2' and kind = 'reminder'`,
    );
    assert.equal(sent.rows[0]!.n, 1);
  } finally {
    await browser.close();
  }
});
