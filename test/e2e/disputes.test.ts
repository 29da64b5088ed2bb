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
 * The flow in the browser: a collector opens a pricing dispute from the invoice's page; it lands in
 * order management's queue with its SLA; that team takes it and proposes a credit adjustment; the proposer
 * cannot approve it, an approver does from the inbox; the dispute is resolved and the invoice credited.
 */

let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
type Who = { userId: string; email: string; password: string };
let collector: Who;
let team: Who;
let approver: Who;

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-disputes-'));
  await addAccount(tdb.db, 'DS-A1', { name: 'Fabrikam Retail GmbH', country: 'DE', currency: 'EUR' });
  await tdb.db.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount, po_number)
     values ('DS-A1', 'INV-DS-1', 'invoice', '2026-10-01', '2026-10-31', 'EUR', 1200.00, 'PO-7781')`,
  );
  collector = await addUser(tdb.db, 'cora@corp.test', ['collector']);
  team = await addUser(tdb.db, 'olga@corp.test', ['order_management']);
  approver = await addUser(tdb.db, 'abe@corp.test', ['approver']);
  await setApprovalLimits(tdb.db, approver.userId, { limits: [{ currency: 'EUR', amount: '5000' }] });
  ({ app, base } = await serveApp(tdb.db, home));
});

after(async () => {
  await app?.close();
  await tdb?.drop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

async function signedIn(browser: Browser, who: Who): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1100 }, locale: 'en-US' });
  const page = await context.newPage();
  await signInPage(page, base, who);
  return page;
}

const text = async (page: Page, testId: string) =>
  ((await page.getByTestId(testId).first().textContent()) ?? '').trim();

test('a dispute opened from the invoice is routed, settled by an adjustment another user approves, and resolved', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    // The collector opens it from the invoice's page.
    const page = await signedIn(browser, collector);
    await page.goto(`${base}/aging/items/INV-DS-1`);
    await page.getByTestId('open-dispute').click();
    const form = page.getByTestId('dispute-form');
    await form.getByTestId('dispute-category').selectOption('pricing');
    await form.getByTestId('dispute-amount').fill('200.00');
    await form
      .getByTestId('dispute-description')
      .fill('Billed at list price; the contract price is 10 % lower');
    await form.getByTestId('dispute-submit').click();
    await page.waitForURL(/\/disputes\/DSP-\d{6}$/);
    const id = page.url().split('/').pop()!;
    assert.equal(await text(page, 'dispute-state'), 'open');
    const facts = page.getByTestId('dispute-facts');
    await facts.getByText('Order management').waitFor();
    await facts.getByText(/5 business days from/).waitFor();

    // The invoice shows it is in dispute.
    await page.goto(`${base}/aging/items/INV-DS-1`);
    await page.getByTestId('in-dispute').getByText(id).waitFor();
    await page.screenshot({ path: '/tmp/dispute-item.png', fullPage: true });
    // So does Account 360: the account's disputes, and the invoice marked among the open items.
    await page.goto(`${base}/accounts/DS-A1`);
    await page.getByTestId('account-disputes').getByText(id).waitFor();
    await page.getByTestId('account-open-items').getByTestId('item-in-dispute').waitFor();
    await page
      .getByTestId('account-timeline')
      .getByText(/dispute .* opened, routed to Order management/i)
      .waitFor();
    await page.screenshot({ path: '/tmp/dispute-account.png', fullPage: true });

    // Order management finds it in its queue, takes it and proposes a credit adjustment.
    const omPage = await signedIn(browser, team);
    await omPage.getByTestId('nav').getByText('Disputes', { exact: true }).click();
    const row = omPage.locator('[data-testid=disputes-grid] .ag-row').filter({ hasText: id });
    await row.waitFor();
    await omPage.screenshot({ path: '/tmp/disputes-list.png' });
    await row.locator('[col-id=dispute_id]').click();
    await omPage.waitForURL(new RegExp(`/disputes/${id}$`));
    await omPage.getByTestId('take-dispute').click();
    await omPage.locator('[data-testid=dispute-state]', { hasText: 'in review' }).waitFor();
    await omPage.getByTestId('propose-adjustment').click();
    const propose = omPage.getByTestId('propose-form');
    await propose.getByTestId('propose-kind').selectOption('credit_adjustment');
    assert.equal(await propose.getByTestId('propose-amount').inputValue(), '200.00');
    // The reason codes arrive from the server; the category's (PRICING_ERROR) is chosen.
    await propose
      .locator('[data-testid=propose-reason] option[value=PRICING_ERROR]')
      .waitFor({ state: 'attached' });
    assert.equal(await propose.getByTestId('propose-reason').inputValue(), 'PRICING_ERROR');
    await propose
      .getByTestId('propose-comment')
      .fill('Contract price confirmed with sales: credit the difference');
    await propose.getByTestId('propose-submit').click();
    await omPage.getByTestId('awaiting-approval').waitFor();
    assert.equal(await text(omPage, 'dispute-state'), 'awaiting approval');
    const adjustmentId = (
      (await omPage.getByTestId('awaiting-approval').locator('a').textContent()) ?? ''
    ).trim();
    assert.match(adjustmentId, /^ADJ-\d{6}$/);

    // The proposer cannot approve its own request.
    const csrf = await omPage.evaluate(async () => {
      const r = await fetch('/api/auth/session');
      return ((await r.json()) as { csrf_token?: string }).csrf_token ?? '';
    });
    const own = await omPage.request.post(`${base}/api/adjustments/${adjustmentId}/approve`, {
      headers: { 'x-csrf-token': csrf },
      data: {},
    });
    assert.equal(own.status(), 403);

    // An approver approves it from the inbox.
    const abePage = await signedIn(browser, approver);
    await abePage.getByTestId('nav').getByText('Approvals', { exact: true }).click();
    const request = abePage.locator('[data-testid=approvals-grid] .ag-row').filter({ hasText: adjustmentId });
    await request.waitFor();
    await request.locator('[col-id=title]').click();
    await abePage.waitForURL(new RegExp(`/adjustments/${adjustmentId}$`));
    await abePage.getByTestId('decide-comment').fill('Agreed');
    await abePage.getByTestId('approve').click();
    await abePage.locator('[data-testid=adjustment-status]', { hasText: 'approved' }).waitFor();

    // The dispute is resolved, with what was posted; the invoice is credited and no longer in dispute.
    await omPage.reload();
    await omPage.locator('[data-testid=dispute-state]', { hasText: 'resolved (adjusted)' }).waitFor();
    await omPage.getByTestId('dispute-adjustment-status').getByText('approved').waitFor();
    await omPage
      .getByTestId('dispute-timeline')
      .getByText(/Resolved: adjustment/)
      .waitFor();
    await omPage.getByTestId('dispute-invoice').getByText('1,000.00 EUR').waitFor();
    await omPage.screenshot({ path: '/tmp/dispute.png', fullPage: true });

    await page.goto(`${base}/aging/items/INV-DS-1`);
    await page.getByText(/Earlier disputes:/).waitFor();
    assert.equal(await page.getByTestId('in-dispute').count(), 0);
    await page.getByTestId('item-facts').getByText('1,000.00 EUR').first().waitFor();
  } finally {
    await browser.close();
  }
});
