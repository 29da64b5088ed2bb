import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { setApprovalLimits } from '../../src/modules/approvals/index.ts';
import { addAccount, addUser } from '../helpers/app.ts';
import { launchBrowser, serveApp, signInPage } from './browser.ts';

/**
 * The "done when": a collector requests a write-off in the browser; the requester cannot approve it,
 * nor can an approver whose limit is too low; an approver with a high enough limit approves it from the
 * inbox; the item's open amount and the journal show it.
 */

let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
type Who = { userId: string; email: string; password: string };
let collector: Who;
let low: Who;
let high: Who;

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-adjust-'));
  await addAccount(tdb.db, 'WO-A1', { name: 'Fabrikam Retail', country: 'US', currency: 'USD' });
  await tdb.db.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount)
     values ('WO-A1', 'INV-WO-1', 'invoice', '2026-06-01', '2026-07-01', 'USD', 400.00)`,
  );
  collector = await addUser(tdb.db, 'cora@corp.test', ['collector']);
  low = await addUser(tdb.db, 'lou@corp.test', ['approver']);
  high = await addUser(tdb.db, 'hana@corp.test', ['approver']);
  await setApprovalLimits(tdb.db, low.userId, { limits: [{ currency: 'USD', amount: '100' }] });
  await setApprovalLimits(tdb.db, high.userId, { limits: [{ currency: 'USD', amount: '5000' }] });
  ({ app, base } = await serveApp(tdb.db, home));
});

after(async () => {
  await app?.close();
  await tdb?.drop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

async function signedIn(browser: Browser, who: Who): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
  const page = await context.newPage();
  await signInPage(page, base, who);
  return page;
}

test('a write-off is requested, refused to the requester and a low limit, approved within a limit, and shows in the aging and the journal', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    // The collector requests it from the item's page.
    const page = await signedIn(browser, collector);
    await page.goto(`${base}/aging/items/INV-WO-1`);
    await page.getByTestId('request-adjustment').click();
    const form = page.getByTestId('adjustment-form');
    await form.getByTestId('adjustment-kind').selectOption('write_off');
    await form.getByTestId('adjustment-amount').fill('150.00');
    await form.getByTestId('adjustment-reason').selectOption('BAD_DEBT');
    await form.getByTestId('adjustment-comment').fill('Customer in insolvency proceedings');
    await form.getByTestId('adjustment-submit').click();
    await page.waitForURL(/\/adjustments\/ADJ-\d{6}$/);
    const id = page.url().split('/').pop()!;
    assert.equal((await page.getByTestId('adjustment-status').textContent())?.trim(), 'pending');
    // The requester cannot approve it: no buttons, and the API answers 403.
    await page.getByTestId('cannot-decide').waitFor();
    const csrf = await page.evaluate(async () => {
      const r = await fetch('/api/auth/session');
      return ((await r.json()) as { csrf_token?: string }).csrf_token ?? '';
    });
    const own = await page.request.post(`${base}/api/adjustments/${id}/approve`, {
      headers: { 'x-csrf-token': csrf },
      data: {},
    });
    assert.equal(own.status(), 403);
    assert.match(
      ((await own.json()) as { error: { message: string } }).error.message,
      /approver, manager, administrator/,
    );

    // An approver whose limit is too low cannot either.
    const lowPage = await signedIn(browser, low);
    await lowPage.goto(`${base}/adjustments/${id}`);
    const why = lowPage.getByTestId('cannot-decide');
    await why.waitFor();
    assert.match((await why.textContent()) ?? '', /below the 150\.00 USD requested/);
    await lowPage.goto(`${base}/approvals`);
    await lowPage.getByText('Nothing waits for you').waitFor();

    // An approver with a high enough limit approves it from the inbox.
    const highPage = await signedIn(browser, high);
    await highPage.getByTestId('nav').getByText('Approvals', { exact: true }).click();
    const row = highPage.locator('[data-testid=approvals-grid] .ag-row').filter({ hasText: id });
    await row.waitFor();
    await row.locator('[col-id=title]').click();
    await highPage.waitForURL(new RegExp(`/adjustments/${id}$`));
    await highPage.getByTestId('adjustment-lines').getByText('INV-WO-1').waitFor();
    await highPage.getByTestId('decide-comment').fill('Agreed: write off');
    await highPage.getByTestId('approve').click();
    await highPage.locator('[data-testid=adjustment-status]', { hasText: 'approved' }).waitFor();
    await highPage.getByTestId('adjustment-postings').getByText(`WO-${id}-1`).waitFor();

    // The item shows it: 250.00 open of 400.00.
    await page.goto(`${base}/aging/items/INV-WO-1`);
    await page
      .getByTestId('item-facts')
      .getByText('$250.00')
      .or(page.getByTestId('item-facts').getByText('250.00'))
      .first()
      .waitFor();
    await page.getByTestId('adjustments-card').getByText('approved').waitFor();

    // The journal shows the write-off: 6810 debited, 1200 credited.
    await highPage.getByTestId('nav').getByText('Journal', { exact: true }).click();
    const entry = highPage.locator('[data-testid=journal-grid] .ag-row').filter({ hasText: `WO-${id}-1` });
    await entry.waitFor();
    const cell = async (c: string) => ((await entry.locator(`[col-id=${c}]`).textContent()) ?? '').trim();
    assert.deepEqual(
      [
        await cell('kind'),
        await cell('document_id'),
        await cell('gl_debit'),
        await cell('gl_credit'),
        await cell('amount'),
      ],
      ['write_off', 'INV-WO-1', '6810', '1200', '150.00'],
    );
    await highPage.screenshot({ path: '/tmp/journal.png', fullPage: true });
  } finally {
    await browser.close();
  }
});
