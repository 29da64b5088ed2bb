import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { addUser, loadFiles } from '../helpers/app.ts';
import { launchBrowser, serveApp, signInPage } from './browser.ts';

/**
 * The cash desk end to end: a collector uploads a BAI2 file on the Imports page (recognised by its content),
 * runs the matching, and clears the exception queue in the browser: one credit applied to two picked items
 * of a customer found by search, one applied partly with the rest on account, one with a deduction and a
 * reason. The queue is then empty and the statement view shows each outcome. A second file brings another
 * credit from the first payer: it matches on its own (the manual match taught the bank account and the
 * reference pattern), and the account's timeline says which credit paid the invoice.
 */

let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
let collector: { email: string; password: string };
const saved = { home: process.env.CLEARHOUSE_HOME };

const files: [string, string[]][] = [
  [
    'accounts.csv',
    [
      'account_id,name,country,currency,payment_terms_days,collector',
      'C1,Northwind Distribution,US,USD,30,cora@corp.test',
      'C2,Contoso Supplies,US,USD,30,cora@corp.test',
      'C3,Fabrikam Partners,US,USD,30,cora@corp.test',
    ],
  ],
  [
    'invoices.csv',
    [
      'document_id,account_id,type,document_date,due_date,currency,amount',
      'INV-10043,C1,invoice,2026-08-01,2026-08-31,USD,900.00',
      'INV-10044,C1,invoice,2026-08-05,2026-09-04,USD,600.00',
      'INV-10045,C1,invoice,2026-08-20,2026-09-19,USD,700.00',
      'INV-10046,C1,invoice,2026-08-21,2026-09-20,USD,700.00',
      'INV-20001,C2,invoice,2026-08-10,2026-09-09,USD,800.00',
      'INV-20002,C2,invoice,2026-08-15,2026-09-14,USD,300.00',
      'INV-30001,C3,invoice,2026-08-12,2026-09-11,USD,1000.00',
    ],
  ],
];

/** A BAI2 file of one account's credits, with the 03 record's declared credit total and count. */
function bai2(date: string, credits: { ref: string; cents: number; text: string }[]): string {
  const d = date.replaceAll('-', '').slice(2);
  const total = credits.reduce((a, c) => a + c.cents, 0);
  const details = credits.map((c) => `16,195,${c.cents},V,${d},,${c.ref},,${c.text}/`);
  const account = [
    `03,1000123456,USD,100,${total},${credits.length},,/`,
    ...details,
    `49,${2 * total},${details.length + 2}/`,
  ];
  const group = [
    `02,CLEARHOUSE,BANKUS,1,${d},0800,USD,2/`,
    ...account,
    `98,${2 * total},1,${account.length + 2}/`,
  ];
  return `${[`01,BANKUS,CLEARHOUSE,${d},0800,${d}1,,,2/`, ...group, `99,${2 * total},1,${group.length + 2}/`].join('\n')}\n`;
}

const first = bai2('2026-09-28', [
  {
    ref: 'BR000123',
    cents: 150000,
    text: 'ORIG CO NAME:ACME WHOLESALE ORIG ACCT:4455667788 REMI:RG/7-10043-X RG/7-10044-X',
  },
  { ref: 'BR000124', cents: 100000, text: 'ORIG CO NAME:CSL HOLDINGS ORIG ACCT:1111222233 REMI:SEPTEMBER' },
  { ref: 'BR000125', cents: 95000, text: 'ORIG CO NAME:FBK GROUP ORIG ACCT:9998887776 REMI:LESS PRICING' },
]);
const second = bai2('2026-09-29', [
  {
    ref: 'BR000200',
    cents: 70000,
    text: 'ORIG CO NAME:ACME WHOLESALE ORIG ACCT:4455667788 REMI:RG/7-10045-X',
  },
]);

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-cash-'));
  process.env.CLEARHOUSE_HOME = home;
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
  if (saved.home === undefined) delete process.env.CLEARHOUSE_HOME;
  else process.env.CLEARHOUSE_HOME = saved.home;
});

/** Presses '/' until the work screen's search box has the focus (a re-render may swallow one press). */
async function focusSearch(page: Page): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('/');
    const focused = await page
      .waitForFunction(
        "document.activeElement?.getAttribute('data-testid') === 'open-item-search-text'",
        undefined,
        {
          timeout: 1000,
        },
      )
      .then(() => true)
      .catch(() => false);
    if (focused) return;
  }
  throw new Error("'/' never focused the open-item search");
}

async function signIn(page: Page, who: { email: string; password: string }) {
  await signInPage(page, base, who);
}

const shots = process.env.CASH_SHOTS;
async function shot(page: Page, name: string) {
  if (shots) await page.waitForTimeout(400);
  if (shots) await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

/** Uploads a bank file on the Imports page (no template chosen: recognised by content), then runs matching. */
async function loadBankFile(page: Page, name: string, content: string, run: number) {
  await page.goto(`${base}/imports`);
  // The drop zone is ready once the page has its templates (a file set on it before may be lost in a re-render).
  await page.getByTestId('import-templates').getByText('sell_out.csv', { exact: true }).waitFor();
  await page
    .getByTestId('import-dropzone')
    .locator('input[type=file]')
    .setInputFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(content) });
  // The first load of a server warms up the import engine: on a busy CI machine it can take longer than the
  // default 30 s.
  await page.locator('[data-testid=import-result][data-status=loaded]').waitFor({ timeout: 90_000 });
  const outcome = page.getByTestId('bank-file-outcome');
  await outcome.waitFor();
  assert.match((await outcome.textContent()) ?? '', /BAI2 bank file: \d credits?/i);
  await shot(page, `import-${name}`);
  await page.getByTestId('nav').getByText('Cash runs', { exact: true }).click();
  await page.getByTestId('run-cascade').click();
  await page.getByText(new RegExp(`^Run ${run}: `)).waitFor();
}

test('a collector clears the exception queue in the browser, and the next credit of a payer matches on its own', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
    await signIn(page, collector);
    await loadBankFile(page, 'statement-0928.bai', first, 1);
    await page.getByTestId('cash-runs-grid').locator('.ag-row').first().waitFor();
    await shot(page, 'cash-runs');

    // The queue: three credits from payers nobody knows yet.
    await page.getByTestId('nav').getByText('Cash exceptions', { exact: true }).click();
    const queue = page.getByTestId('exception-queue');
    await queue.getByTestId('queue-item').first().waitFor();
    assert.equal(await queue.getByTestId('queue-item').count(), 3);
    const screen = page.getByTestId('credit-work-screen');
    await screen.waitFor();
    // j/k move through the queue; the work screen follows.
    await page.keyboard.press('j');
    await page.waitForURL(/credit=BR000124/);
    await page.keyboard.press('k');
    await page.waitForURL(/credit=BR000123/);
    await screen.getByTestId('credit-payer').getByText('ACME WHOLESALE').waitFor();
    await shot(page, 'cash-exceptions');

    // 1. BR000123, 1,500.00: find the customer's items by searching, pick two, apply in full (Enter).
    // '/' focuses the search box (pressed again if the screen was still settling after k), then typing searches.
    await focusSearch(page);
    await screen.getByTestId('open-item-search-text').fill('');
    await page.keyboard.type('INV-1004');
    const results = screen.getByTestId('search-results');
    await results.getByText('INV-10043').waitFor();
    await results.getByTestId('pick-INV-10043').check();
    await screen.getByTestId('payer-open-items').getByTestId('pick-INV-10044').check();
    assert.equal(await screen.getByTestId('total-applied').textContent(), '1,500.00');
    assert.equal(await screen.getByTestId('total-on-account').textContent(), '0.00');
    await shot(page, 'cash-exception-picked');
    await screen.getByTestId('amount-INV-10044').press('Enter');
    await page.waitForURL(/credit=BR000124/);

    // 2. BR000124, 1,000.00 from Contoso's other name: 800.00 to its invoice, the rest on account.
    await screen.getByTestId('credit-payer').getByText('CSL HOLDINGS').waitFor();
    await screen.getByTestId('open-item-search-text').fill('Contoso');
    await screen.getByTestId('search-results').getByTestId('pick-INV-20001').check();
    assert.equal(await screen.getByTestId('total-applied').textContent(), '800.00');
    assert.equal(await screen.getByTestId('total-on-account').textContent(), '200.00');
    await screen.getByTestId('apply-credit').click();
    await page.waitForURL(/credit=BR000125/);

    // 3. BR000125, 950.00 for a 1,000.00 invoice: the 50.00 short becomes a deduction with a reason.
    await screen.getByTestId('credit-payer').getByText('FBK GROUP').waitFor();
    await screen.getByTestId('open-item-search-amount').fill('1000.00');
    await screen.getByTestId('search-results').getByTestId('pick-INV-30001').check();
    const applyButton = screen.getByTestId('apply-credit');
    await screen.getByTestId('short-INV-30001').click();
    assert.equal(await screen.getByTestId('total-deductions').textContent(), '50.00');
    assert.equal(await applyButton.isDisabled(), true, 'a deduction needs its reason');
    await screen.locator('select[aria-label="Deduction reason on INV-30001"]').selectOption('PRICING');
    await shot(page, 'cash-exception-deduction');
    await applyButton.click();

    // The queue is empty.
    await page.getByTestId('exception-queue-empty').waitFor();
    await shot(page, 'cash-exceptions-empty');

    // The statement view: every credit with its outcome; the outcomes add up to the credits.
    await page.getByTestId('nav').getByText('Bank statements', { exact: true }).click();
    await page.getByTestId('bank-files-grid').locator('.ag-row').first().waitFor();
    await shot(page, 'bank-files');
    await page.getByTestId('bank-files-grid').locator('.ag-row').first().click();
    const detail = page.getByTestId('bank-file-detail');
    await detail.waitFor();
    const grid = page.getByTestId('bank-credits-grid');
    const outcome = async (ref: string) =>
      (
        (await grid.locator('.ag-row').filter({ hasText: ref }).locator('[col-id=outcome]').textContent()) ??
        ''
      ).trim();
    // (The page may first show the file as it was when last read, then as the decisions left it.)
    await grid.locator('.ag-row').filter({ hasText: 'BR000125' }).filter({ hasText: 'by hand' }).waitFor();
    await grid.locator('.ag-row').filter({ hasText: 'BR000123' }).filter({ hasText: 'by hand' }).waitFor();
    assert.equal(await outcome('BR000123'), 'Applied (by hand)');
    assert.equal(await outcome('BR000124'), 'Applied, on account (by hand)');
    assert.equal(await outcome('BR000125'), 'Applied, deduction (by hand)');
    assert.match((await detail.getByTestId('figure-applied').textContent()) ?? '', /3,250\.00/);
    assert.match((await detail.getByTestId('figure-on-account').textContent()) ?? '', /200\.00/);
    assert.match((await detail.getByTestId('figure-deductions').textContent()) ?? '', /50\.00/);
    assert.match((await detail.getByTestId('figure-exceptions').textContent()) ?? '', /0\.00/);
    assert.match((await detail.getByTestId('outcomes-tie').textContent()) ?? '', /add up/);
    assert.match((await detail.getByTestId('bank-statements').textContent()) ?? '', /ties/);
    await shot(page, 'bank-statement');

    // The second file: the same payer's next credit matches on its own, by the learned account and pattern.
    await loadBankFile(page, 'statement-0929.bai', second, 2);
    await page.getByTestId('nav').getByText('Bank statements', { exact: true }).click();
    await page
      .getByTestId('bank-files-grid')
      .locator('.ag-row')
      .filter({ hasText: 'statement-0929.bai' })
      .click();
    // (The page may first show the file as the import left it, then as the run did.)
    await grid.locator('.ag-row').filter({ hasText: 'BR000200' }).filter({ hasText: 'Applied' }).waitFor();
    assert.equal(await outcome('BR000200'), 'Applied');
    const row = grid.locator('.ag-row').filter({ hasText: 'BR000200' });
    assert.equal(((await row.locator('[col-id=account_id]').textContent()) ?? '').trim(), 'C1');
    // The credit: applied by the run to INV-10045 (of the two 700.00 invoices) by the reference in its text.
    await row.locator('[col-id=payment_ref]').click();
    const applications = page.getByTestId('credit-applications');
    await applications.waitFor();
    const applied = (await applications.textContent()) ?? '';
    assert.match(applied, /INV-10045/);
    assert.match(applied, /Reference in the text · run \d+/);
    await shot(page, 'credit-applied');
    await page.getByTestId('nav').getByText('Cash exceptions', { exact: true }).click();
    await page.getByTestId('exception-queue-empty').waitFor();

    // The account's timeline says which credit paid which invoice.
    await page.goto(`${base}/accounts/C1`);
    const timeline = page.getByTestId('account-timeline');
    await timeline.getByText('INV-10045 paid by BR000200 on 2026-09-29', { exact: false }).waitFor();
    await timeline.getByText('INV-10043 paid by BR000123 on 2026-09-28', { exact: false }).waitFor();
    await shot(page, 'account-360');

    // Account 360 of C2: the 200.00 kept on account is cleared against its other invoice, picked by hand.
    await page.goto(`${base}/accounts/C2`);
    const clearing = page.getByTestId('credit-clearing');
    const source = clearing.locator('input[type=radio][value="BR000124"]');
    await source.waitFor();
    await source.check();
    await clearing.getByTestId('clear-pick-INV-20002').check();
    assert.equal(await clearing.getByLabel('Amount cleared against INV-20002').inputValue(), '200.00');
    await shot(page, 'account-clearing');
    await clearing.getByTestId('clear-apply').click();
    await clearing.getByTestId('clearings').getByText('BR000124 → INV-20002').waitFor();
    await clearing.getByText('No open credit memos or unapplied cash on this account.').waitFor();
  } catch (e) {
    const [page] = browser.contexts()[0]?.pages() ?? [];
    if (page && shots) await page.screenshot({ path: path.join(shots, 'failure.png'), fullPage: true });
    throw e;
  } finally {
    await browser.close();
  }
});
