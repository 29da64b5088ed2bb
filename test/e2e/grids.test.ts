import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { runImport } from '../../src/modules/imports/index.ts';
import { addUser } from '../helpers/app.ts';
import { launchBrowser, serveApp, signInPage } from './browser.ts';

/**
 * A grid at 1440 px as a user works it: the columns it shows first fit, the column chooser hides and shows a
 * column, a header sorts, a column filter filters, a saved view comes back after a reload, and the export
 * downloads a real workbook of the rows shown.
 */
let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
let admin: { email: string; password: string };

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-grids-'));
  const file = path.join(home, 'accounts.csv');
  fs.writeFileSync(
    file,
    [
      'account_id,name,country,currency,payment_terms_days,credit_limit,collector,segment',
      'A1,Northwind Distribution,DE,EUR,30,250000.00,ann@corp.test,key',
      'A2,Contoso Supplies,US,USD,45,1000.50,,smb',
      'A3,Adatum Trading,DE,EUR,60,500.25,,smb',
      'A4,"=HYPERLINK(""http://x"")",FR,EUR,30,,,',
      '',
    ].join('\n'),
  );
  const result = await runImport(tdb.db, { path: file, source: 'cli' });
  assert.equal(result.status, 'loaded', JSON.stringify(result.errors));
  admin = await addUser(tdb.db, 'adam@corp.test', ['administrator']);
  ({ app, base } = await serveApp(tdb.db, home));
});

after(async () => {
  await app?.close();
  await tdb?.drop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

// The names in the order shown (rows are placed by their row-index, not by their order in the page).
const names = async (page: Page): Promise<string[]> =>
  page.evaluate(`[...document.querySelectorAll('[data-testid=accounts-grid] .ag-row[row-index]')]
    .filter((row) => row.querySelector('[col-id=name]'))
    .sort((a, b) => Number(a.getAttribute('row-index')) - Number(b.getAttribute('row-index')))
    .map((row) => row.querySelector('[col-id=name]').textContent.trim())`);
const rowCount = "document.querySelectorAll('[data-testid=accounts-grid] .ag-row[row-index]').length";

test('a grid at 1440 px: column chooser, sort, filter, a saved view after a reload, XLSX export', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await signInPage(page, base, admin);
    await page.goto(`${base}/accounts`);
    const grid = page.getByTestId('accounts-grid');
    await grid.locator('.ag-row').first().waitFor();

    // The columns shown first fit the width: no horizontal scrollbar; the others wait behind Columns.
    const overflow = await grid
      .locator('.ag-body-horizontal-scroll-viewport')
      .evaluate((e) => e.scrollWidth - e.clientWidth);
    assert.ok(overflow <= 1, `the grid scrolls sideways by ${overflow} px at 1440 px`);
    // Where scrollbars take no room (overlay scrollbars, as on macOS; this headless browser hides them), the
    // grid's vertical scrollbar lies over the rows' right edge: it must not hide the last column's figures.
    const overlays = await grid
      .locator('.ag-body-vertical-scroll.ag-scrollbar-invisible .ag-body-vertical-scroll-viewport')
      .evaluateAll((es) => es.map((e) => e.ownerDocument.defaultView?.getComputedStyle(e).backgroundColor));
    assert.ok(overlays.length > 0, 'the headless browser lays the scrollbar over the rows');
    for (const background of overlays) assert.equal(background, 'rgba(0, 0, 0, 0)');
    const header = (id: string) => grid.locator(`.ag-header-cell[col-id=${id}]`);
    assert.equal(await header('segment').count(), 0);
    await page.getByTestId('grid-columns').click();
    await page.getByTestId('grid-column-segment').click();
    await header('segment').waitFor();
    await page.getByTestId('grid-column-country').click();
    await header('country').waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');

    // Sorted by name; a click on the header turns it round.
    assert.deepEqual(
      await names(page),
      ['Adatum Trading', 'Contoso Supplies', 'Northwind Distribution', '=HYPERLINK("http://x")'].sort(
        (a, b) => a.localeCompare(b),
      ),
    );
    await header('name').locator('.ag-header-cell-label').click();
    await header('name').locator('.ag-header-cell-label').click();
    assert.equal((await names(page))[0], 'Northwind Distribution');

    // A column filter: currency contains "eur".
    await header('currency').hover();
    await header('currency').locator('.ag-header-cell-filter-button').click();
    await page.locator('.ag-filter input[type=text]').first().fill('eur');
    await page.waitForFunction(`${rowCount} === 3`);
    await page.keyboard.press('Escape');

    // Saved as a view; after a reload the grid comes back with it.
    await page.getByTestId('grid-views').click();
    await page.getByTestId('grid-view-save').click();
    await page.getByTestId('grid-view-name').fill('Euro accounts');
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.getByTestId('grid-views').filter({ hasText: 'Euro accounts' }).waitFor();
    await page.reload();
    await grid.locator('.ag-row').first().waitFor();
    await page.getByTestId('grid-views').filter({ hasText: 'Euro accounts' }).waitFor();
    await header('segment').waitFor();
    assert.equal(await header('country').count(), 0);
    await page.waitForFunction(`${rowCount} === 3`);
    assert.equal((await names(page))[0], 'Northwind Distribution');

    // The export is the rows shown, as a real workbook: title, headers in words, amounts as numbers, totals.
    await page.getByTestId('grid-export').click();
    const download = page.waitForEvent('download');
    await page.getByTestId('grid-export-xlsx').click();
    const file = path.join(home, 'accounts.xlsx');
    await (await download).saveAs(file);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.worksheets[0]!;
    assert.equal(sheet.getCell('A1').value, 'Accounts');
    const headers = (sheet.getRow(3).values as unknown[]).slice(1);
    // The name is beside the id already, so no second name column.
    assert.deepEqual(headers.slice(0, 3), ['Name', 'Account', 'Currency']);
    assert.ok(
      headers.includes('Credit limit') && headers.includes('Segment') && !headers.includes('Country'),
    );
    const at = headers.indexOf('Credit limit') + 1;
    assert.equal(sheet.getCell(4, 1).value, 'Northwind Distribution');
    assert.equal(sheet.getCell(4, at).value, 250000);
    assert.equal(sheet.getCell(7, 1).value, 'Total EUR');
    assert.equal(sheet.getCell(7, at).value, 250500.25);
    assert.equal(sheet.getCell(6, 1).value, '\'=HYPERLINK("http://x")');
    await context.close();
  } finally {
    await browser.close();
  }
});
