import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { buildServer } from '../../src/http/server.ts';
import { validateClaims } from '../../src/modules/claims/index.ts';
import { runImport } from '../../src/modules/imports/index.ts';
import { fileSystemStore } from '../../src/modules/platform/index.ts';
import { addUser } from '../helpers/app.ts';
import { launchBrowser } from './browser.ts';

let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
let analyst: { email: string; password: string };
let partner: { email: string; password: string };

const data: [string, string][] = [
  ['accounts.csv', 'account_id,name,country,currency\nP-1,Northwind,DE,EUR'],
  ['products.csv', 'sku,name,category,list_price,currency\nX-100,Mono laser,laser-mono,199.00,EUR'],
  ['end_customers.csv', 'end_customer_id,name,country\nEC-1,Hospital,DE'],
  [
    'programs.json',
    JSON.stringify({
      program_id: 'SB',
      name: 'Special bids',
      type: 'special_bid',
      currency: 'EUR',
      country: 'DE',
      partners: ['P-1'],
      start_date: '2026-01-01',
      end_date: '2026-12-31',
      claim_window_days: 365,
    }),
  ],
  [
    'deals.csv',
    'deal_id,program_id,account_id,end_customer_id,sku,authorized_unit_amount,currency,max_qty,start_date,end_date\nD-1,SB,P-1,EC-1,X-100,20.00,EUR,10,2026-01-01,2026-12-31',
  ],
  [
    'sell_in.csv',
    'invoice_id,line_no,account_id,invoice_date,sku,qty,unit_price,currency\nINV-1,1,P-1,2026-02-01,X-100,10,150.00,EUR',
  ],
  [
    'sell_out.csv',
    'account_id,sell_out_ref,sale_date,sku,qty,unit_price,currency,end_customer_id,partner_invoice_no,serial_numbers\nP-1,SO-1,2026-03-01,X-100,5,200.00,EUR,EC-1,PI-1,',
  ],
];

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-claims-'));
  for (const [name, content] of data) {
    const p = path.join(home, name);
    fs.writeFileSync(p, content);
    const r = await runImport(tdb.db, { path: p, source: 'cli', activatePrograms: true });
    assert.equal(r.status, 'loaded', `${name}: ${JSON.stringify(r.errors)}`);
  }
  analyst = await addUser(tdb.db, 'ana@corp.test', ['rebate_analyst']);
  partner = await addUser(tdb.db, 'paula@northwind.test', ['partner'], 'P-1');
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

test('a partner submits a claim above the deal; an analyst overrides the finding and approves', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1100 } });
    await signIn(page, partner);
    await page.goto(`${base}/my-claims/new`);
    const form = page.getByTestId('submit-claim-form');
    await form.getByTestId('claim-id-input').fill('C-1');
    await form.getByTestId('claim-program-input').click();
    await page.getByRole('option', { name: /Special bids/ }).click();
    const cells: Record<string, string> = {
      sku: 'X-100',
      qty: '5',
      claimed_unit_amount: '25.00',
      claimed_amount: '125.00',
      sale_date: '2026-03-01',
      end_customer_id: 'EC-1',
      deal_id: 'D-1',
      sell_out_ref: 'SO-1',
    };
    for (const [key, value] of Object.entries(cells)) await form.getByTestId(`line-1-${key}`).fill(value);
    await form.getByTestId('submit-claim').click();
    await page.getByTestId('claim-detail').waitFor();
    assert.match(await page.getByTestId('claim-status').innerText(), /Submitted/);

    // The validation job (a worker in production) runs.
    const summary = await validateClaims(tdb.db);
    assert.equal(summary.claims_validated, 1);
    await page.reload();
    const finding = page.getByTestId('finding-UNIT_AMOUNT_EXCEEDS_AUTHORIZED');
    await finding.waitFor();
    assert.match(await finding.innerText(), /What would fix it/);
    assert.match(await page.getByTestId('claim-lines').innerText(), /Adjusted/);

    const desk = await browser.newPage({ viewport: { width: 1600, height: 1100 } });
    await signIn(desk, analyst);
    await desk.goto(`${base}/claims`);
    await desk.getByTestId('claims-grid').getByText('C-1').click();
    const deskFinding = desk.getByTestId('finding-UNIT_AMOUNT_EXCEEDS_AUTHORIZED');
    await deskFinding.getByRole('button', { name: 'Override' }).click();
    await deskFinding.getByTestId('resolve-reason').click();
    await desk.getByRole('option', { name: 'Contract exception' }).click();
    await deskFinding.getByTestId('resolve-comment').fill('Deal desk raised the amount');
    await deskFinding.getByTestId('resolve-save').click();
    await deskFinding.getByText(/Overridden by ana/).waitFor();
    await desk.getByTestId('claim-line-1').getByText('Approved', { exact: true }).waitFor();
    await desk.getByTestId('approve-claim').click();
    await desk.getByTestId('claim-status').getByText('Approved').waitFor();
  } finally {
    await browser.close();
  }
});
