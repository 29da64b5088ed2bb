import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { addUser } from '../helpers/app.ts';
import { loadMeasuresLedger } from '../helpers/measures-ledger.ts';
import { launchBrowser, serveApp, signInPage } from './browser.ts';

/**
 * The dashboards end to end on the hand-checked ledger of test/measures.test.ts: the manager sees February's
 * figures with their trend and opens the aging behind DSO; the analyst opens the claims behind SLA attainment.
 */

let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
let manager: { email: string; password: string };
let analyst: { email: string; password: string };

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-dashboards-'));
  await loadMeasuresLedger(tdb.db, home);
  manager = await addUser(tdb.db, 'mia@corp.test', ['manager']);
  analyst = await addUser(tdb.db, 'ana@corp.test', ['rebate_analyst']);
  ({ app, base } = await serveApp(tdb.db, home));
});

after(async () => {
  await app?.close();
  await tdb?.drop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

test('the manager reads a month’s measures and their trend and drills down; the analyst opens the claims', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
    await signInPage(page, base, manager);
    await page.getByTestId('nav').getByText('Manager’s dashboard', { exact: true }).click();
    await page.getByTestId('dashboard-month').fill('2026-02');
    await page.getByTestId('value-dso').getByText('51.5 days').waitFor();
    const tile = async (metric: string) =>
      ((await page.getByTestId(`value-${metric}`).textContent()) ?? '').trim();
    assert.deepEqual(
      await Promise.all(
        ['dso', 'cei', 'percent_past_due', 'ddo', 'claim_cycle_time', 'sla_attainment'].map(tile),
      ),
      ['51.5 days', '39.8 %', '66.5 %', '31.9 days', '22.7 days', '66.7 %'],
    );
    // January's DSO was 31.0: up 20.5, worse.
    await page.getByTestId('tile-dso').getByText('+20.5 vs January 2026').waitFor();
    // Twelve months of trend, drawn.
    await page.getByTestId('chart-dso').locator('canvas').waitFor();
    // Per country: the US and Germany.
    const table = page.getByTestId('breakdown-table');
    const cells = async (country: string) =>
      (
        await table
          .getByRole('row', { name: new RegExp(`^${country}`) })
          .locator('td')
          .allTextContents()
      ).slice(0, 4);
    await table.getByRole('row', { name: /^US/ }).waitFor();
    // Country, sales, receivables, DSO (US: 1250 × 28 / 700; DE: 480 × 28 / 240).
    assert.deepEqual(await cells('US'), ['US', '700.00', '1,250.00', '50.0']);
    assert.deepEqual(await cells('DE'), ['DE', '240.00', '480.00', '56.0']);
    // DSO opens the aging as of the month end.
    await page.getByTestId('value-dso').click();
    await page.waitForURL(/\/aging\?as_of=2026-02-28/);
    await page.locator('[data-testid=aging-grid][data-as-of="2026-02-28"]').waitFor();

    const other = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
    await signInPage(other, base, analyst);
    await other.goto(`${base}/dashboards/analyst?month=2026-02`);
    await other.getByTestId('value-first_pass_rate').getByText('60.0 %').waitFor();
    await other.getByTestId('value-sla_attainment').click();
    const claims = other.getByTestId('measure-claims');
    await claims.waitFor();
    const rows = claims.locator('tbody tr');
    assert.equal(await rows.count(), 3);
    assert.match((await rows.nth(2).textContent()) ?? '', /CL-2.*27 of 15.*missed/);
    // The analyst does not see the manager's dashboard.
    assert.equal(await other.getByTestId('nav').getByText('Manager’s dashboard', { exact: true }).count(), 0);
  } finally {
    await browser.close();
  }
});
