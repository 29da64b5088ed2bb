import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { addAccount, addUser } from '../helpers/app.ts';
import { launchBrowser, serveApp, signInPage } from './browser.ts';

/**
 * The review's Top 40 page: the accounts ranked by past due in the reporting currency (USD; one account owes in
 * EUR), each opened to read its last action and open promise and to write the collector's comment for the
 * review, which the grid then shows and the audit trail keeps.
 */

let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
let collector: { userId: string; email: string; password: string };
const asOf = '2026-06-30';

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-reviews-'));
  await addAccount(tdb.db, 'RV-NW', {
    name: 'Northwind Traders GmbH',
    country: 'DE',
    currency: 'EUR',
    collector: 'cora',
  });
  await addAccount(tdb.db, 'RV-CT', {
    name: 'Contoso Inc',
    country: 'US',
    currency: 'USD',
    collector: 'cora',
  });
  await addAccount(tdb.db, 'RV-FB', {
    name: 'Fabrikam Ltd',
    country: 'US',
    currency: 'USD',
    collector: 'cora',
  });
  await tdb.db.query(`insert into fx_rates (currency, rate_date, rate) values ('EUR', '2026-06-01', 1.17)`);
  const doc = (account: string, id: string, amount: string, due: string, currency: string) =>
    tdb.db.query(
      `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount)
       values ($1, $2, 'invoice', '2026-01-02', $3, $4, $5)`,
      [account, id, due, currency, amount],
    );
  await doc('RV-NW', 'INV-RV-1', '12000.00', '2026-05-15', 'EUR'); // 14,040.00 USD
  await doc('RV-CT', 'INV-RV-2', '13500.00', '2026-06-10', 'USD');
  await doc('RV-FB', 'INV-RV-3', '800.00', '2026-03-01', 'USD');
  await tdb.db.query(
    `insert into promises (account_id, amount, currency, made_on, promised_date)
     values ('RV-NW', 6000.00, 'EUR', '2026-06-25', '2026-07-08')`,
  );
  await tdb.db.query(
    `insert into activities (account_id, kind, body, actor, occurred_at) values
       ('RV-NW', 'comment', 'AP confirmed the May invoices go in the next payment run.', 'cora', '2026-06-26T09:00:00Z')`,
  );
  collector = await addUser(tdb.db, 'cora@corp.test', ['collector']);
  ({ app, base } = await serveApp(tdb.db, home));
});

after(async () => {
  await app?.close();
  await tdb?.drop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

test('a collector writes the comment on a Top 40 account before the review', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    await signInPage(page, base, collector);
    await page.goto(`${base}/reviews?as_of=${asOf}`);
    const grid = page.getByTestId('top40-grid');
    await grid.getByText('RV-NW · Northwind Traders GmbH').waitFor();
    await page
      .getByTestId('top40-summary')
      .getByText(/3 accounts past due/)
      .waitFor();
    // Ranked in USD: 12,000 EUR × 1.17 = 14,040.00 before 13,500.00 USD.
    const first = grid.locator('.ag-row[row-index="0"]');
    await first.getByText('RV-NW · Northwind Traders GmbH').waitFor();
    await first.getByText('14,040.00').first().waitFor();
    await page.screenshot({ path: '/tmp/reviews-top40.png' });

    await grid.getByText('RV-NW · Northwind Traders GmbH').click();
    const modal = page.getByRole('dialog');
    await modal.getByText(/AP confirmed the May invoices/).waitFor();
    await modal.getByText(/6,000\.00 EUR by/).waitFor();
    await modal
      .getByTestId('review-comment')
      .fill('Half promised for 8 July; the rest after the credit note for the damaged pallet.');
    await page.screenshot({ path: '/tmp/reviews-comment.png' });
    await modal.getByRole('button', { name: 'Save comment' }).click();
    await modal.waitFor({ state: 'detached' });
    await first.getByText(/Half promised for 8 July/).waitFor();
    await page
      .getByTestId('top40-summary')
      .getByText(/1 with a comment/)
      .waitFor();

    const { rows } = await tdb.db.query<{ comment: string; written_by: string }>(
      `select comment, written_by from review_comments where account_id = 'RV-NW' and as_of = $1`,
      [asOf],
    );
    assert.deepEqual(rows[0], {
      comment: 'Half promised for 8 July; the rest after the credit note for the damaged pallet.',
      written_by: 'cora',
    });
    const audit = await tdb.db.query(
      `select 1 from audit_events where entity_type = 'account' and entity_id = 'RV-NW' and action = 'review_comment'`,
    );
    assert.equal(audit.rowCount, 1);

    // Reopened after a reload, the comment is there with who wrote it.
    await page.reload();
    await grid.getByText('RV-NW · Northwind Traders GmbH').click();
    await page
      .getByRole('dialog')
      .getByText(/Written by cora/)
      .waitFor();
  } finally {
    await browser.close();
  }
});
