import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { resolveFinding, validateClaims } from '../../src/modules/claims/index.ts';
import { runImport } from '../../src/modules/imports/index.ts';
import { addUser } from '../helpers/app.ts';
import { launchBrowser, serveApp, signInPage } from './browser.ts';

/** The claim page shows an override waiting for an approver, and an approver approves it there. */
let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
let analyst: { email: string; password: string; userId: string };
let approver: { email: string; password: string };

const data: [string, string][] = [
  ['accounts.csv', 'account_id,name,country,currency\nP-1,Northwind,DE,EUR'],
  ['products.csv', 'sku,name,category,list_price,currency\nX-100,Mono laser,laser-mono,199.00,EUR'],
  ['end_customers.csv', 'end_customer_id,name,country\nEC-1,Hospital,DE'],
  [
    'programs.json',
    JSON.stringify({
      program_id: 'SO',
      name: 'Sell-out rebate',
      type: 'sell_out',
      currency: 'EUR',
      country: 'DE',
      start_date: '2026-01-01',
      end_date: '2026-12-31',
      per_unit_amount: '5.00',
    }),
  ],
  [
    'sell_in.csv',
    'invoice_id,line_no,account_id,invoice_date,sku,qty,unit_price,currency\nINV-1,1,P-1,2026-02-01,X-100,10,150.00,EUR',
  ],
  [
    'sell_out.csv',
    'account_id,sell_out_ref,sale_date,sku,qty,unit_price,currency,end_customer_id,partner_invoice_no,serial_numbers\nP-1,SO-1,2026-03-01,X-100,1,200.00,EUR,EC-1,PI-1,',
  ],
  [
    'claims.csv',
    `claim_id,account_id,program_id,submitted_date,currency,line_no,sku,qty,claimed_unit_amount,claimed_amount,sale_date,end_customer_id,sell_out_ref
C-A,P-1,SO,2026-03-10,EUR,1,X-100,1,5.00,5.00,2026-03-01,EC-1,SO-1
C-B,P-1,SO,2026-03-11,EUR,1,X-100,1,5.00,5.00,2026-03-01,EC-1,SO-1`,
  ],
];

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-override-'));
  for (const [name, content] of data) {
    const p = path.join(home, name);
    fs.writeFileSync(p, content);
    const r = await runImport(tdb.db, { path: p, source: 'cli', activatePrograms: true });
    assert.equal(r.status, 'loaded', `${name}: ${JSON.stringify(r.errors)}`);
  }
  await validateClaims(tdb.db);
  analyst = await addUser(tdb.db, 'ana@corp.test', ['rebate_analyst']);
  approver = await addUser(tdb.db, 'otto@corp.test', ['approver']);
  await resolveFinding(
    tdb.db.as({ userId: analyst.userId, name: 'ana', roles: ['rebate_analyst'], accounts: '*' }),
    { claim_id: 'C-B', account_id: 'P-1' },
    1,
    'DUPLICATE_CLAIM',
    { resolution: 'overridden', reason_code: 'contract_exception', comment: 'credited twice upstream' },
  );
  ({ app, base } = await serveApp(tdb.db, home));
});

after(async () => {
  await app?.close();
  await tdb?.drop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

async function signIn(page: Page, who: { email: string; password: string }) {
  await signInPage(page, base, who);
}

test('an override of DUPLICATE_CLAIM waits for an approver, who approves it on the claim page', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const desk = await browser.newPage({ viewport: { width: 1600, height: 1100 } });
    await signIn(desk, analyst);
    await desk.goto(`${base}/claims/C-B?account_id=P-1`);
    const finding = desk.getByTestId('finding-DUPLICATE_CLAIM');
    await finding.getByTestId('override-pending').waitFor();
    assert.equal(await finding.getByTestId('approve-override').count(), 0, 'the analyst cannot approve it');

    const approving = await browser.newPage({ viewport: { width: 1600, height: 1100 } });
    await signIn(approving, approver);
    await approving.goto(`${base}/claims/C-B?account_id=P-1`);
    const card = approving.getByTestId('finding-DUPLICATE_CLAIM');
    await card.getByTestId('approve-override').click();
    await card
      .getByTestId('override-approved')
      .getByText(/Override approved by otto/)
      .waitFor();
    assert.equal(await card.getByTestId('override-pending').count(), 0);
  } finally {
    await browser.close();
  }
});
