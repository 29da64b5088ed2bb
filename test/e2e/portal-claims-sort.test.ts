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
 * The portal's claims page sorts on the server, over every claim of the partner: 150 claims, 100 a page,
 * newest first. The oldest claim sits on page 2 of that order; clicking the Submitted header (oldest first)
 * brings it to the top of page 1, and the API sorts by amount over every claim too. Another partner's claim
 * never shows.
 */
let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
let partner: { email: string; password: string };

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-portal-sort-'));
  await loadFiles(tdb.db, home, [
    ['accounts.csv', 'account_id,name,country,currency\nP-1,Northwind,DE,EUR\nP-2,Contoso,DE,EUR'],
    [
      'programs.json',
      JSON.stringify([
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
  ]);
  // Claim n submitted on day n; C-000, the oldest (last in the newest-first order), claimed the most.
  await tdb.db.query(
    `insert into claims (account_id, claim_id, program_id, submitted_date, currency, status)
     select 'P-1', 'C-' || lpad(n::text, 3, '0'), 'SO', date '2026-01-01' + n, 'EUR', 'submitted'
     from generate_series(0, 149) n
     union all select 'P-2', 'X-1', 'SO', date '2026-03-01', 'EUR', 'submitted'`,
  );
  await tdb.db.query(
    `insert into claim_line_inputs (account_id, claim_id, line_no, claimed_amount)
     select 'P-1', 'C-' || lpad(n::text, 3, '0'), 1, case when n = 0 then 9999 else 1 + (n * 37) % 200 end
     from generate_series(0, 149) n
     union all select 'P-2', 'X-1', 1, 123456`,
  );
  partner = await addUser(tdb.db, 'paula@northwind.test', ['partner'], 'P-1');
  ({ app, base } = await serveApp(tdb.db, home));
});

after(async () => {
  await app?.close();
  await tdb?.drop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

const grid = '[data-testid=claims-grid]';
const column = (page: Page, id: string) => gridCells(page, grid, id);
const firstClaimIs = (page: Page, id: string) => firstCellIs(page, grid, 'claim_id', id);

test('a partner sorts all its claims on the server, and pages through them', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signInPage(page, base, partner);
    await page.goto(`${base}/my-claims`);
    await page.locator(`${grid} .ag-row`).first().waitFor();
    await firstClaimIs(page, 'C-149');
    assert.ok(!(await column(page, 'claim_id')).includes('C-000'), 'the oldest claim is on page 2');

    // By claim number: the claim from page 2 leads page 1.
    const header = page.locator(`${grid} .ag-header-cell[col-id=claim_id] .ag-header-cell-label`);
    let answered = page.waitForResponse(
      (r) => r.url().includes('/api/claim-queue') && r.url().includes('order=claim_id%3Aasc'),
    );
    await header.click();
    await answered;
    await firstClaimIs(page, 'C-000');
    const ids = await column(page, 'claim_id');
    assert.equal(ids.length, 100);
    assert.ok(!ids.includes('X-1'), "another partner's claim never shows");

    // Page 2 holds the other 50, in the same order.
    answered = page.waitForResponse(
      (r) => r.url().includes('/api/claim-queue') && r.url().includes('offset=100'),
    );
    await page.locator('.mantine-Pagination-control', { hasText: /^2$/ }).click();
    await answered;
    await firstClaimIs(page, 'C-100');
    assert.equal((await column(page, 'claim_id')).length, 50);

    // The largest amount of all, from page 2 of the newest-first order, leads the amount order.
    const byAmount = (await page.evaluate(
      `fetch('/api/claim-queue?sort=submitted&order=claimed_amount%3Adesc&limit=5').then((r) => r.json())
        .then((q) => q.items.map((c) => [c.claim_id, Number(c.claimed_amount)]))`,
    )) as [string, number][];
    assert.deepEqual(byAmount[0], ['C-000', 9999]);
    const amounts = byAmount.map(([, a]) => a);
    assert.deepEqual(
      amounts,
      [...amounts].sort((a, b) => b - a),
    );
    await context.close();
  } finally {
    await browser.close();
  }
});
