import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { validateClaims } from '../../src/modules/claims/index.ts';
import { runImport } from '../../src/modules/imports/index.ts';
import { addUser } from '../helpers/app.ts';
import { launchBrowser, serveApp, signInPage } from './browser.ts';

/**
 * The "done when": the policy page changes results as expected in the browser. A German partner's
 * claim is late by a week; a manager gives German partners ten days of grace; validated again, the claim is
 * on time, shows the policy it was validated under, and the policy lists it among the claims it touches.
 */
const files: Record<string, string> = {
  'accounts.csv': 'account_id,name,country,currency\nPL-1,Kaiser Bürotechnik,DE,EUR\n',
  'products.csv': 'sku,name,category\nX-100,Mono laser,laser\n',
  'end_customers.csv': 'end_customer_id,name,country\nEC-1,Klinikum,DE\n',
  'programs.json': JSON.stringify([
    {
      program_id: 'SO-DE',
      name: 'Sell-out Germany',
      type: 'sell_out',
      currency: 'EUR',
      start_date: '2026-01-01',
      end_date: '2026-12-31',
      partners: ['PL-1'],
      claim_window_days: 30,
      per_unit_amount: '10.00',
    },
  ]),
  'inventory.csv': 'account_id,sku,as_of_date,on_hand_qty,kind\nPL-1,X-100,2026-01-01,100,opening\n',
  'sell_out.csv':
    'account_id,sell_out_ref,sale_date,sku,qty,unit_price,currency,end_customer_id\nPL-1,S1,2026-02-01,X-100,2,150.00,EUR,EC-1\n',
  'claims.csv': `claim_id,account_id,program_id,submitted_date,currency,line_no,sku,qty,claimed_unit_amount,claimed_amount,sale_date,end_customer_id,sell_out_ref
C-77,PL-1,SO-DE,2026-03-10,EUR,1,X-100,2,10.00,20.00,2026-02-01,EC-1,S1`,
};

let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-policies-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(home, name), text);
  for (const name of Object.keys(files)) {
    const r = await runImport(tdb.db, { path: path.join(home, name), source: 'cli', activatePrograms: true });
    assert.equal(r.status, 'loaded', `${name}: ${JSON.stringify(r.errors)}`);
  }
  await validateClaims(tdb.db);
  ({ app, base } = await serveApp(tdb.db, home));
});

after(async () => {
  await app?.close();
  await tdb?.drop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

test('a manager gives German partners grace days: the late claim is on time, under that policy', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  const shots = process.env.CLEARHOUSE_SCREENSHOTS;
  try {
    const manager = await addUser(tdb.db, 'mia@corp.test', ['manager', 'rebate_analyst']);
    const page = await (
      await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' })
    ).newPage();
    await signInPage(page, base, manager);

    await page.goto(`${base}/claims/C-77?account_id=PL-1`);
    await page.getByTestId('claim-detail').waitFor();
    assert.match(await page.getByTestId('claim-detail').innerText(), /late|LATE_SUBMISSION/i);

    await page.goto(`${base}/admin/policies`);
    await page.getByTestId('policy-new').click();
    const form = page.getByTestId('policy-form');
    await form.getByTestId('policy-scope-id').fill('DE');
    await form.getByTestId('policy-date').fill('2026-01-01');
    await form.getByTestId('policy-grace').fill('10');
    await form.getByLabel('Note').fill('Grace for German partners (policy GP-7)');
    await form.getByTestId('policy-save').click();
    await page.getByTestId('policy-DE').waitFor();
    assert.match(await page.getByTestId('policy-DE').innerText(), /10 days of grace/);

    // What the job does after a policy changes: the claims are validated again.
    await validateClaims(tdb.db);

    await page.goto(`${base}/claims/C-77?account_id=PL-1`);
    await page.getByTestId('claim-policy').waitFor();
    const detail = await page.getByTestId('claim-detail').innerText();
    assert.doesNotMatch(detail, /LATE_SUBMISSION/);
    assert.match(
      await page.getByTestId('claim-policy').innerText(),
      /DE country policy from .*10 days of grace/s,
    );
    if (shots) await page.screenshot({ path: path.join(shots, 'policy-claim.png'), fullPage: true });

    await page.getByRole('link', { name: 'Country policy' }).click();
    await page.getByTestId('policy-claims').waitFor();
    assert.match(await page.getByTestId('policy-claims').innerText(), /C-77/);
    if (shots) await page.screenshot({ path: path.join(shots, 'policies.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});
