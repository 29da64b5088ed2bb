import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { addUser, loadFiles } from '../helpers/app.ts';
import { firstCellIs, gridCells, launchBrowser, serveApp, signInPage } from './browser.ts';

/**
 * A paged grid sorts on the server: 250 sell-out lines, 100 a page, newest first. The largest quantity is
 * on the last page of that order; clicking the Qty header (twice: descending) puts it first on page 1, and
 * page 2 goes on below page 1 (the server sorted every line, not the page shown).
 */
let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
let analyst: { email: string; password: string };

// Line n sold on day n: the oldest line (SO-000, on the last page newest first) sold the most, 999.
const lines = Array.from({ length: 250 }, (_, n) => {
  const day = new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
  const qty = n === 0 ? 999 : 1 + ((n * 37) % 200);
  return `P-1,SO-${String(n).padStart(3, '0')},${day},X-100,${qty},10.00,EUR,,,`;
});

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-sort-'));
  await loadFiles(tdb.db, home, [
    ['accounts.csv', 'account_id,name,country,currency\nP-1,Northwind,DE,EUR'],
    ['products.csv', 'sku,name,category,list_price,currency\nX-100,Mono laser,laser-mono,199.00,EUR'],
    [
      'sell_out.csv',
      [
        'account_id,sell_out_ref,sale_date,sku,qty,unit_price,currency,end_customer_id,partner_invoice_no,serial_numbers',
        ...lines,
      ].join('\n'),
    ],
  ]);
  analyst = await addUser(tdb.db, 'ana@corp.test', ['rebate_analyst']);
  ({ app, base } = await serveApp(tdb.db, home));
});

after(async () => {
  await app?.close();
  await tdb?.drop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

const grid = '[data-testid=channel-data-sell-out]';
const cells = (page: Page, column: string) => gridCells(page, grid, column);
const firstRefIs = (page: Page, ref: string) => firstCellIs(page, grid, 'sell_out_ref', ref);

const quantities = async (page: Page) =>
  (await cells(page, 'qty')).map((q) => Number(q.replace(/[^\d]/g, '')));

test('clicking a header sorts every page on the server, not the page shown', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signInPage(page, base, analyst);
    await page.goto(`${base}/channel-data`);
    await page.getByRole('tab', { name: 'Sell-out' }).click();
    await page.locator(`${grid} .ag-row`).first().waitFor();
    // Newest first: SO-249 leads page 1; SO-000 (qty 999) is on page 3.
    await firstRefIs(page, 'SO-249');
    assert.ok(!(await cells(page, 'sell_out_ref')).includes('SO-000'));

    const qtyHeader = page.locator(`${grid} .ag-header-cell[col-id=qty] .ag-header-cell-label`);
    const order = (direction: string) =>
      page.waitForResponse(
        (r) => r.url().includes('/api/sell-out') && r.url().includes(`order=qty%3A${direction}`),
      );
    let answer = order('asc');
    await qtyHeader.click();
    await answer;
    answer = order('desc');
    await qtyHeader.click();
    await answer;
    await firstRefIs(page, 'SO-000');
    const page1 = await quantities(page);
    assert.equal(page1[0], 999, 'the largest of all 250 lines, from page 3 of the newest-first order');
    assert.deepEqual(
      page1,
      [...page1].sort((a, b) => b - a),
      'page 1 in descending quantity',
    );

    // Page 2 goes on below page 1's quantities, still in the server's order.
    answer = page.waitForResponse((r) => r.url().includes('/api/sell-out') && r.url().includes('offset=100'));
    await page.locator('[data-testid=channel-data] .mantine-Pagination-control', { hasText: /^2$/ }).click();
    await answer;
    for (let i = 0; i < 100 && (await cells(page, 'sell_out_ref'))[0] === 'SO-000'; i++) {
      await page.waitForTimeout(100);
    }
    const page2 = await quantities(page);
    assert.ok(page2.length > 0);
    assert.ok(page2[0]! <= page1.at(-1)!, `page 2 starts at ${page2[0]}, page 1 ended at ${page1.at(-1)}`);
    assert.deepEqual(
      page2,
      [...page2].sort((a, b) => b - a),
      'page 2 in descending quantity',
    );
    await context.close();
  } finally {
    await browser.close();
  }
});
