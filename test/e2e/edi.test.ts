import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { sampleInterchanges, saveTradingPartner } from '../../src/modules/edi/index.ts';
import { runImport } from '../../src/modules/imports/index.ts';
import { addAccount, addUser } from '../helpers/app.ts';
import { launchBrowser, serveApp, signInPage } from './browser.ts';

/**
 * The interchange desk in the browser: an 852 with one good and one refused set arrives; the analyst finds
 * it under "Needs a fix", reads the error with its segment and element, adds the missing product, reprocesses
 * and sees the interchange loaded and its new 997 accepted; the account page shows the partner's EDI status.
 */
let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
let analyst: { email: string; password: string };

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-edi-'));
  process.env.CLEARHOUSE_HOME = home;
  await addAccount(tdb.db, 'P-EDI', { name: 'Northwind EDI' });
  const products = path.join(home, 'products.csv');
  fs.writeFileSync(products, 'sku,name,category,list_price,currency\nX-1,Printer,laser,100.00,EUR\n');
  await runImport(tdb.db, { path: products, source: 'cli' });
  await saveTradingPartner(tdb.db, {
    account_id: 'P-EDI',
    isa_id: 'NORTHWIND',
    sets_received: ['844', '852'],
    usage: 'production',
  });
  const f = path.join(home, 'inventory.x12');
  fs.writeFileSync(
    f,
    sampleInterchanges(
      '852',
      ['account_id', 'sku', 'as_of_date', 'on_hand_qty'],
      [
        { account_id: 'P-EDI', sku: 'X-1', as_of_date: '2026-11-30', on_hand_qty: '7' },
        { account_id: 'P-EDI', sku: 'X-NEW', as_of_date: '2026-12-01', on_hand_qty: '3' },
      ],
    )
      .replaceAll('P-EDI         ', 'NORTHWIND     ')
      .replace('*P-EDI*CLEARHOUSE*', '*NORTHWIND*CLEARHOUSE*'),
  );
  const r = await runImport(tdb.db, { path: f, source: 'cli' });
  assert.match(r.message, /852: 2 set\(s\), 1 loaded, 1 refused/);
  analyst = await addUser(tdb.db, 'ana@corp.test', ['rebate_analyst']);
  ({ app, base } = await serveApp(tdb.db, home));
});

after(async () => {
  await app?.close();
  await tdb?.drop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

test('the interchange desk: a refused set in words, fixed and reprocessed; the partner’s EDI status', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
    const page = await context.newPage();
    await signInPage(page, base, analyst);
    await page.goto(`${base}/edi`);
    const grid = page.getByTestId('edi-interchanges-grid');
    await grid.getByText('852 Inventory').waitFor();
    await page.getByTestId('edi-view').getByText('Needs a fix').click();
    await grid.locator('.ag-row', { hasText: '852 Inventory' }).first().click();
    const panel = page.getByTestId('interchange-panel');
    await panel.getByText('997 partial').waitFor();
    const sets = page.getByTestId('interchange-sets');
    await sets.getByText(/LIN03 .*“X-NEW”: sku unknown SKU/).waitFor();

    // The fix: the product arrives; then reprocess.
    const products = path.join(home, 'products-2.csv');
    fs.writeFileSync(products, 'sku,name,category,list_price,currency\nX-NEW,New printer,laser,90.00,EUR\n');
    await runImport(tdb.db, { path: products, source: 'cli', kind: 'products' });
    await panel.getByTestId('reprocess').click();
    await panel
      .getByText('reprocessed 1 refused set(s): 1 loaded, 0 still refused.', { exact: true })
      .waitFor();
    await panel.getByText('997 accepted').waitFor();
    assert.equal(await sets.getByText('refused').count(), 0);

    await page.goto(`${base}/accounts/P-EDI`);
    const card = page.getByTestId('account-edi');
    await card.getByText('ISA ZZ/NORTHWIND').waitFor();
    await card.getByText('production').waitFor();
    await card.getByText(/Sends 844, 852/).waitFor();
  } finally {
    await browser.close();
  }
});
