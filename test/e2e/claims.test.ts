import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { systemActor } from '../../src/db/db.ts';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { buildServer } from '../../src/http/server.ts';
import { validateClaims } from '../../src/modules/claims/index.ts';
import { ruleTitle } from '../../src/modules/claims/rule-texts.ts';
import { runImport } from '../../src/modules/imports/index.ts';
import { fileSystemStore, uploadDocument } from '../../src/modules/platform/index.ts';
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
    JSON.stringify([
      {
        program_id: 'SB',
        name: 'Special bids',
        type: 'special_bid',
        currency: 'EUR',
        country: 'DE',
        partners: ['P-1'],
        start_date: '2026-01-01',
        end_date: '2026-12-31',
        claim_window_days: 365,
      },
      {
        program_id: 'SO',
        name: 'Sell-out rebate',
        type: 'sell_out',
        currency: 'EUR',
        country: 'DE',
        start_date: '2026-01-01',
        end_date: '2026-12-31',
        per_unit_amount: '5.00',
      },
    ]),
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
    'account_id,sell_out_ref,sale_date,sku,qty,unit_price,currency,end_customer_id,partner_invoice_no,serial_numbers\nP-1,SO-1,2026-03-01,X-100,5,200.00,EUR,EC-1,PI-1,\nP-1,SO-2,2026-03-02,X-100,20,200.00,EUR,EC-1,PI-2,',
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

/** The claim form's look-ups (SKU, end customer, deal, sell-out line) are chosen from their lists. */
const lookups = new Set(['sku', 'end_customer_id', 'deal_id', 'sell_out_ref']);
async function fillLine(page: Page, cells: Record<string, string>, n = 1) {
  const form = page.getByTestId('submit-claim-form');
  for (const [key, value] of Object.entries(cells)) {
    const input = form.getByTestId(`line-${n}-${key}`);
    if (!lookups.has(key)) {
      await input.fill(value);
      continue;
    }
    await input.click();
    await input.fill(value);
    await page
      .getByRole('option', { name: new RegExp(value) })
      .first()
      .click();
  }
}

/**
 * The partner types its own claim number, as a partner does: once the number made for it shows. (Typed while the
 * made-up number was arriving, the browser's selection is lost and the two run together.)
 */
async function typeClaimNumber(page: Page, claimId: string) {
  await page.waitForFunction(
    "document.querySelector('[data-testid=claim-id-input]')?.value.startsWith('P-1-')",
  );
  await page.getByTestId('submit-claim-form').getByTestId('claim-id-input').fill(claimId);
}

test('a partner submits a claim above the deal; an analyst overrides the finding and approves', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1100 } });
    await signIn(page, partner);
    await page.goto(`${base}/my-claims/new`);
    const form = page.getByTestId('submit-claim-form');
    await typeClaimNumber(page, 'C-1');
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
    await fillLine(page, cells);
    // The number typed stays: the one made for the partner never overwrites it, however late it arrives.
    assert.equal(await form.getByTestId('claim-id-input').inputValue(), 'C-1');
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

    // The partner sends the deal desk's e-mail with the claim; the analyst reads it in the documents viewer.
    await uploadDocument(tdb.db.as(systemActor('test')), fileSystemStore(path.join(home, 'documents')), {
      entityType: 'claim',
      entityId: 'C-1',
      documentType: 'correspondence',
      fileName: 'deal-desk.txt',
      content: Readable.from([Buffer.from('Deal desk: D-1 is raised to 25.00 per unit for this order.\n')]),
    });

    const desk = await browser.newPage({ viewport: { width: 1600, height: 1100 } });
    await signIn(desk, analyst);
    await desk.goto(`${base}/claims`);
    await desk.getByTestId('claims-grid').getByText('C-1').click();
    // The evidence beside the finding: the deal with what is used and left, the sell-out line matched.
    const deal = desk.getByTestId('evidence-deal');
    await deal.waitFor();
    assert.match(await deal.innerText(), /Authorised per unit[\s\S]*20\.00 EUR/);
    assert.match(await deal.innerText(), /5 used · 5 left/);
    assert.match(await desk.getByTestId('evidence-sell-out').innerText(), /SO-1[\s\S]*5 credited · 0 left/);
    await desk
      .getByTestId('document-text')
      .getByText(/raised to 25\.00/)
      .waitFor();
    await desk.screenshot({ path: path.join(home, 'desk-claim.png'), fullPage: true });
    if (process.env.CLEARHOUSE_SCREENSHOTS) {
      fs.copyFileSync(
        path.join(home, 'desk-claim.png'),
        path.join(process.env.CLEARHOUSE_SCREENSHOTS, 'desk-claim.png'),
      );
    }
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

test('a partner sees an inventory finding with its position chart, corrects the claim and resubmits', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1100 } });
    await signIn(page, partner);
    await page.goto(`${base}/my-claims/new`);
    const form = page.getByTestId('submit-claim-form');
    await typeClaimNumber(page, 'C-2');
    await form.getByTestId('claim-program-input').click();
    await page.getByRole('option', { name: /Sell-out rebate/ }).click();
    // P-1 bought 10 units by 2 March and C-1 was credited 5 of them: 12 cannot all be credited.
    const cells: Record<string, string> = {
      sku: 'X-100',
      qty: '12',
      claimed_unit_amount: '5.00',
      claimed_amount: '60.00',
      sale_date: '2026-03-02',
      end_customer_id: 'EC-1',
      sell_out_ref: 'SO-2',
    };
    await fillLine(page, cells);
    await form.getByTestId('submit-claim').click();
    await page.getByTestId('claim-detail').waitFor();
    await validateClaims(tdb.db);
    await page.reload();
    const finding = page.getByTestId('finding-INSUFFICIENT_INVENTORY');
    await finding.waitFor();
    assert.match(await finding.innerText(), /What would fix it/);
    await page.getByTestId('evidence-position').getByTestId('positions-chart').waitFor();
    await page.getByTestId('claim-sla').waitFor();
    await page.screenshot({ path: path.join(home, 'partner-claim.png'), fullPage: true });
    if (process.env.CLEARHOUSE_SCREENSHOTS) {
      fs.copyFileSync(
        path.join(home, 'partner-claim.png'),
        path.join(process.env.CLEARHOUSE_SCREENSHOTS, 'partner-claim.png'),
      );
    }

    // Correct and resubmit: the form comes back with the lines and what validation found.
    await page.getByTestId('correct-claim').click();
    await page
      .getByTestId('correction-notes')
      .getByText(/More units credited than bought/)
      .waitFor();
    const again = page.getByTestId('submit-claim-form');
    await again.getByTestId('line-1-qty').fill('5');
    await again.getByTestId('line-1-claimed_amount').fill('25.00');
    await again.getByTestId('submit-claim').click();
    await page.getByTestId('claim-detail').waitFor();
    await validateClaims(tdb.db);
    await page.reload();
    await page.getByTestId('claim-line-1').getByText('Approved', { exact: true }).waitFor();
    assert.match(await page.getByTestId('claim-detail').innerText(), /version 2/);
    const versions = page.getByTestId('claim-versions');
    await versions.waitFor();
    await versions.getByTestId('claim-version-1').getByRole('button').click();
    // The partner reads the finding in words, never the rule code.
    await versions.getByText(ruleTitle('INSUFFICIENT_INVENTORY')).waitFor();
    assert.equal(await versions.getByText('INSUFFICIENT_INVENTORY').count(), 0);
  } finally {
    await browser.close();
  }
});

test('a partner saves a draft, finishes it later and submits it; the analyst works the queue by SLA', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1100 } });
    await signIn(page, partner);
    await page.goto(`${base}/my-claims/new`);
    const form = page.getByTestId('submit-claim-form');
    await typeClaimNumber(page, 'C-3');
    await form.getByTestId('claim-program-input').click();
    await page.getByRole('option', { name: /Sell-out rebate/ }).click();
    const cells: Record<string, string> = {
      sku: 'X-100',
      qty: '1',
      claimed_unit_amount: '5.00',
      claimed_amount: '5.00',
      sale_date: '2026-03-02',
      end_customer_id: 'EC-1',
      sell_out_ref: 'SO-2',
    };
    await fillLine(page, cells);
    await form.getByTestId('save-draft').click();

    // The draft waits in the Drafts tab; validation leaves it alone.
    await page.getByTestId('draft-C-3').waitFor();
    assert.equal((await validateClaims(tdb.db)).claims_validated, 0);
    await page.getByTestId('continue-C-3').click();
    await page.getByTestId('draft-notes').waitFor();
    const again = page.getByTestId('submit-claim-form');
    assert.equal(await again.getByTestId('line-1-qty').inputValue(), '1');
    await again.getByTestId('line-1-qty').fill('2');
    await again.getByTestId('line-1-claimed_amount').fill('10.00');
    await again.getByTestId('save-draft').click();
    await page.getByTestId('draft-C-3').getByText('10.00 EUR').waitFor();
    await page.getByTestId('draft-C-3').getByRole('link', { name: 'C-3', exact: true }).click();
    await page.getByTestId('draft-alert').waitFor();
    assert.match(await page.getByTestId('claim-status').innerText(), /Draft/);
    await page.getByTestId('submit-draft').click();
    await page.getByTestId('claim-status').getByText('Submitted').waitFor();
    assert.equal((await validateClaims(tdb.db)).claims_validated, 1);
    await page.reload();
    await page.getByTestId('claim-sla').waitFor();
    await page.getByTestId('claim-status').getByText('Validated').waitFor();

    // The desk's queue: each claim's SLA, days left and urgency; marking one urgent halves its target.
    const desk = await browser.newPage({ viewport: { width: 1600, height: 1100 } });
    await signIn(desk, analyst);
    await desk.goto(`${base}/claims`);
    const grid = desk.getByTestId('claims-grid');
    await grid.getByText('C-3').waitFor();
    const row = grid.locator('.ag-row', { hasText: 'C-3' }).first();
    const before = await row.innerText();
    await desk.getByTestId('urgent-C-3').click();
    await desk.getByText('Urgent only').click();
    await grid.getByText('C-3').waitFor();
    await desk
      .getByTestId('queue-total')
      .getByText(/^1 claim /)
      .waitFor();
    await desk.screenshot({ path: path.join(home, 'desk-queue.png') });
    if (process.env.CLEARHOUSE_SCREENSHOTS) {
      fs.copyFileSync(
        path.join(home, 'desk-queue.png'),
        path.join(process.env.CLEARHOUSE_SCREENSHOTS, 'desk-queue.png'),
      );
    }
    const after = await grid.locator('.ag-row', { hasText: 'C-3' }).first().innerText();
    assert.notEqual(after, before, 'the urgent claim has fewer business days left');
    const { rows } = await tdb.db.query<{ urgent: boolean }>(
      `select urgent from claims where claim_id = 'C-3'`,
    );
    assert.equal(rows[0]?.urgent, true);
  } finally {
    await browser.close();
  }
});
