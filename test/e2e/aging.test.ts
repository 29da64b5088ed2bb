import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Locator, Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { buildServer } from '../../src/http/server.ts';
import { fileSystemStore } from '../../src/modules/platform/index.ts';
import { addUser, loadFiles } from '../helpers/app.ts';
import { launchBrowser } from './browser.ts';

/**
 * The aging page end to end: the data of test/receivables.test.ts loaded through the import engine, the
 * aging on 2026-03-31 with the figures worked out there by hand, an account's open items and an item's
 * timeline.
 */

let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
let admin: { email: string; password: string };

const files: [string, string[]][] = [
  [
    'accounts.csv',
    [
      'account_id,name,country,currency,payment_terms_days,collector,segment',
      'A1,Northwind Distribution,DE,EUR,30,ann@corp.test,key',
      'A2,Contoso Supplies,US,USD,45,,smb',
    ],
  ],
  [
    'invoices.csv',
    [
      'document_id,account_id,type,document_date,due_date,currency,amount,tax_amount,reference,po_number',
      'INV-1,A1,invoice,2026-01-01,2026-01-31,EUR,1000.00,190.00,R1,PO-1',
      'INV-2,A1,invoice,2026-02-15,,EUR,500.00,,,', // due 2026-03-17 (30 days' terms)
      'INV-3,A1,invoice,2026-03-01,2026-03-31,EUR,200.00,,,',
      'INV-4,A1,debit_memo,2025-11-01,2025-11-15,EUR,300.00,,,',
      'CM-1,A1,credit_memo,2026-03-10,,EUR,150.00,,,',
      'INV-5,A2,invoice,2026-01-20,,USD,800.00,,,', // due 2026-03-06 (45 days' terms)
      'INV-6,A1,invoice,2026-04-05,,EUR,999.00,,,',
    ],
  ],
  [
    'payments.csv',
    [
      'payment_id,account_id,received_date,amount,currency,method,reference',
      'PAY-1,A1,2026-02-20,600.00,EUR,wire,',
      'PAY-2,A1,2026-04-02,500.00,EUR,wire,',
      'PAY-3,A2,2026-03-20,300.00,USD,ach,',
      'PAY-4,A1,2026-03-01,100.00,USD,wire,',
    ],
  ],
  [
    'applications.csv',
    [
      'payment_id,document_id,applied_date,amount',
      'PAY-1,INV-1,2026-02-20,400.00',
      'CM-1,INV-2,2026-03-15,100.00',
      'PAY-2,INV-2,2026-04-02,400.00',
      'PAY-3,INV-5,2026-04-03,300.00',
    ],
  ],
];

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-aging-'));
  await loadFiles(
    tdb.db,
    home,
    files.map(([name, lines]) => [name, `${lines.join('\n')}\n`] as const),
  );
  admin = await addUser(tdb.db, 'adam@corp.test', ['administrator']);
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

const cell = async (row: Locator, column: string) =>
  ((await row.locator(`[col-id=${column}]`).textContent()) ?? '').trim();

async function figures(row: Locator): Promise<string[]> {
  const columns = ['not_due', 'd1_30', 'd31_60', 'd61_90', 'd91_120', 'd121_plus', 'total'];
  return Promise.all(columns.map((c) => cell(row, c)));
}

test('an administrator ages the receivables on a date, opens an account’s items and an item’s timeline', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
    await signIn(page, admin);
    await page.getByTestId('nav').getByText('Aging', { exact: true }).click();
    await page.getByTestId('aging-as-of').fill('2026-03-31');

    // The figures of test/receivables.test.ts on 2026-03-31.
    const grid = page.locator('[data-testid=aging-grid][data-as-of="2026-03-31"]');
    await grid.waitFor();
    const body = grid.locator('.ag-row:not(.ag-row-pinned)');
    const a1eur = body.filter({ hasText: 'A1' }).filter({ hasText: 'EUR' });
    await a1eur.waitFor();
    assert.deepEqual(await figures(a1eur), [
      '200.00',
      '350.00',
      '400.00',
      '0.00',
      '0.00',
      '300.00',
      '1,250.00',
    ]);
    const a1usd = body.filter({ hasText: 'A1' }).filter({ hasText: 'USD' });
    assert.deepEqual(await figures(a1usd), ['0.00', '-100.00', '0.00', '0.00', '0.00', '0.00', '-100.00']);
    const a2 = body.filter({ hasText: 'Contoso Supplies' });
    assert.deepEqual(await figures(a2), ['0.00', '500.00', '0.00', '0.00', '0.00', '0.00', '500.00']);
    assert.equal(await body.count(), 3);

    // Totals per currency, never across currencies; one row adds them up in the reporting currency (USD),
    // here without EUR, which has no exchange rate.
    const totals = grid.locator('.ag-row.ag-row-pinned').filter({ hasNotText: 'All in' });
    assert.equal(await totals.count(), 2);
    const allIn = grid.locator('.ag-row.ag-row-pinned').filter({ hasText: 'All in USD' });
    assert.match((await allIn.textContent()) ?? '', /without EUR \(no rate\)/);
    assert.equal((await figures(allIn)).at(-1), '400.00');
    await page
      .getByTestId('aging-rates')
      .getByText(/no rate for EUR: left out of it/)
      .waitFor();
    assert.deepEqual(await figures(totals.filter({ hasText: 'EUR' })), [
      '200.00',
      '350.00',
      '400.00',
      '0.00',
      '0.00',
      '300.00',
      '1,250.00',
    ]);
    assert.deepEqual(await figures(totals.filter({ hasText: 'USD' })), [
      '0.00',
      '400.00',
      '0.00',
      '0.00',
      '0.00',
      '0.00',
      '400.00',
    ]);

    // The export asks the server for the same aging.
    const href = await page.getByTestId('aging-export').getAttribute('href');
    assert.ok(href?.includes('as_of=2026-03-31'), href ?? '');
    const xlsx = await page.request.get(`${base}${href}`);
    assert.equal(xlsx.status(), 200);
    assert.match(xlsx.headers()['content-disposition'] ?? '', /aging-2026-03-31\.xlsx/);

    // By collector: A2 has none; a collector's row opens its accounts (the aging by account, filtered).
    await page.getByTestId('aging-by').getByText('Collector').click();
    const byCollector = page.locator('[data-testid=aging-grid] .ag-row:not(.ag-row-pinned)');
    await byCollector.filter({ hasText: 'Unassigned' }).waitFor();
    assert.deepEqual(
      await figures(byCollector.filter({ hasText: 'ann@corp.test' }).filter({ hasText: 'EUR' })),
      ['200.00', '350.00', '400.00', '0.00', '0.00', '300.00', '1,250.00'],
    );
    await byCollector.filter({ hasText: 'ann@corp.test' }).first().locator('[col-id=collector]').click();
    const filter = page.getByTestId('aging-filter-collector');
    for (let i = 0; i < 50 && (await filter.inputValue()) !== 'ann@corp.test'; i++)
      await page.waitForTimeout(100);
    assert.equal(await filter.inputValue(), 'ann@corp.test');
    await body.filter({ hasText: 'Contoso' }).waitFor({ state: 'detached' });
    assert.equal(await body.count(), 2);
    await page.screenshot({ path: '/tmp/aging.png', fullPage: true });

    // An account opens its open items on that date.
    await a1eur.locator('[col-id=name]').click();
    const items = page.getByTestId('aging-items');
    const inv1 = items.locator('.ag-row').filter({ hasText: 'INV-1' });
    await inv1.waitFor();
    assert.equal(await cell(inv1, 'open_amount'), '600.00');
    assert.equal(await cell(inv1, 'days_past_due'), '59');
    assert.equal(await cell(inv1, 'bucket'), '31–60 days');
    const inv4 = items.locator('.ag-row').filter({ hasText: 'INV-4' });
    assert.equal(await cell(inv4, 'bucket'), '121+ days');
    assert.equal(await items.locator('.ag-row').filter({ hasText: 'INV-6' }).count(), 0, 'dated later');
    await page.screenshot({ path: '/tmp/aging-items.png' });

    // An item opens its timeline: issued, the credit memo applied, due, open on the day, then paid later.
    await items.locator('.ag-row').filter({ hasText: 'INV-2' }).locator('[col-id=item_id]').click();
    const timeline = page.getByTestId('item-timeline');
    await timeline.waitFor();
    const events = timeline.getByTestId('timeline-event');
    const texts = (await events.allTextContents()).map((s) => s.replace(/\s+/g, ' '));
    assert.equal(texts.length, 5, texts.join('\n'));
    assert.match(texts[0]!, /Invoice issued: 500\.00 EUR/);
    assert.match(texts[1]!, /Applied from CM-1: 100\.00 EUR.*Open after: 400\.00 EUR/);
    assert.match(texts[2]!, /Due.*Mar 17, 2026/);
    assert.match(texts[3]!, /Open on Mar 31, 2026: 400\.00 EUR.*14 days past due · 1–30 days/);
    assert.match(texts[4]!, /Applied from PAY-2: 400\.00 EUR.*After the as-of date.*Open after: 0\.00 EUR/);
    await page.screenshot({ path: '/tmp/aging-item.png', fullPage: true });

    // The breadcrumb returns to the same aging.
    await page.locator('.mantine-Breadcrumbs-root').getByRole('link', { name: 'Aging' }).click();
    await page.getByTestId('aging-grid').waitFor();
    assert.equal(await page.getByTestId('aging-as-of').getAttribute('data-value'), '2026-03-31');
  } finally {
    await browser.close();
  }
});
