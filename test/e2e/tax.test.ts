import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { addAccount, addUser } from '../helpers/app.ts';
import { launchBrowser, serveApp, signInPage } from './browser.ts';

/**
 * The flow in the browser: a collector requests a tax-exempt certificate from Account 360 (an e-mail
 * to the billing contact); the partner finds it asked for in the portal and uploads it; the tax team finds
 * it in its queue, opens the file and validates it; the partner sees it valid.
 */

let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
type Who = { userId: string; email: string; password: string };
let collector: Who;
let tax: Who;
let partner: Who;

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-tax-'));
  process.env.CLEARHOUSE_HOME = home;
  await addAccount(tdb.db, 'TX-A1', {
    name: 'Lone Star Office Supply',
    country: 'US',
    currency: 'USD',
    billing_email: 'ap@lonestar.example',
    collector: 'cora@corp.test',
  });
  collector = await addUser(tdb.db, 'cora@corp.test', ['collector']);
  tax = await addUser(tdb.db, 'tina@corp.test', ['tax']);
  partner = await addUser(tdb.db, 'pat@lonestar.example', ['partner'], 'TX-A1');
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

test('a partner uploads the certificate asked for in the portal; the tax team validates it', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    // The collector asks for it from Account 360.
    const desk = await signedIn(browser, collector);
    await desk.goto(`${base}/accounts/TX-A1`);
    const card = desk.getByTestId('account-tax-certificates');
    await card.getByText('No tax-exempt certificates').waitFor();
    await card.getByTestId('account-request-certificate').click();
    await desk.getByText('An e-mail goes to ap@lonestar.example').waitFor();
    await desk.getByTestId('request-jurisdiction').fill('us-tx');
    await desk.getByTestId('request-certificate-submit').click();
    await card.getByText('US-TX').waitFor();
    await card.getByText('Requested', { exact: true }).waitFor();
    await desk.screenshot({ path: '/tmp/tax-account-360.png', fullPage: true });
    const { rows: emails } = await tdb.db.query<{ to_addresses: string[]; body: string }>(
      `select to_addresses, body from emails where kind = 'tax_certificate_request'`,
    );
    assert.deepEqual(emails[0]?.to_addresses, ['ap@lonestar.example']);
    const link = /http\S+my-tax-certificates\?certificate=(TC-\d{6})/.exec(emails[0]!.body);
    assert.ok(link, emails[0]!.body);
    const id = link[1]!;

    // The partner follows the link: the portal page shows what is asked for; it uploads the certificate.
    const portal = await signedIn(browser, partner);
    await portal.getByTestId('nav').getByText('Tax certificates', { exact: true }).waitFor();
    await portal.goto(`${base}/my-tax-certificates?certificate=${id}`);
    await portal.getByText('We need a certificate from you').waitFor();
    await portal.getByTestId(`upload-${id}`).click();
    await portal.getByTestId('certificate-number').fill('01-7654321-0');
    await portal.getByLabel('Why you are exempt').fill('resale');
    await portal.getByTestId('certificate-effective').fill('2026-01-01');
    await portal.getByTestId('certificate-expiry').fill('2029-12-31');
    await portal.locator('input[type=file]').setInputFiles({
      name: 'texas-resale-certificate.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
    });
    await portal.screenshot({ path: '/tmp/tax-portal-upload.png' });
    await portal.getByTestId('certificate-upload-submit').click();
    const line = portal.getByTestId(`my-certificate-${id}`);
    await line.getByText('Received — being checked').waitFor();
    await line.getByText('texas-resale-certificate.pdf').waitFor();
    await portal.screenshot({ path: '/tmp/tax-portal-received.png', fullPage: true });

    // The tax team finds it in its queue, opens it and validates it.
    const team = await signedIn(browser, tax);
    await team.getByTestId('nav').getByText('Tax certificates', { exact: true }).click();
    const row = team
      .locator('[data-testid=tax-certificates-grid] .ag-row')
      .filter({ hasText: '01-7654321-0' });
    await row.waitFor();
    await team.screenshot({ path: '/tmp/tax-queue.png' });
    await row.locator('[col-id=jurisdiction]').click();
    const panel = team.getByTestId('certificate-panel');
    await panel.getByTestId('certificate-file-link').getByText('texas-resale-certificate.pdf').waitFor();
    await panel.getByText('pat', { exact: false }).first().waitFor();
    await team.screenshot({ path: '/tmp/tax-certificate-panel.png' });
    await panel.getByTestId('certificate-validate').click();
    await panel.getByText('Valid', { exact: true }).waitFor();
    // The row of the decision, and the history's entry for it.
    await panel.getByText(/^Validated\s+by\s+tina$/).waitFor();
    await team.screenshot({ path: '/tmp/tax-certificate-validated.png' });

    // An invoice that charges this customer Texas tax is flagged against the certificate.
    await tdb.db.query(
      `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount,
         tax_amount, tax_jurisdiction)
       values ('TX-A1', 'INV-TX-1', 'invoice', '2026-03-02', '2026-04-01', 'USD', 108.25, 8.25, 'US-TX'),
              ('TX-A1', 'INV-TX-2', 'invoice', '2026-03-02', '2026-04-01', 'USD', 100.00, 0, 'US')`,
    );
    await team.keyboard.press('Escape');
    await team.getByTestId('tax-view').getByText('Invoice exceptions').click();
    const flagged = team.getByTestId('tax-exceptions');
    await flagged
      .locator('tr', { hasText: 'INV-TX-1' })
      .getByText('Tax charged to an exempt customer')
      .waitFor();
    await flagged
      .locator('tr', { hasText: 'INV-TX-2' })
      .getByText('No tax, but no valid certificate')
      .waitFor();
    await team.waitForTimeout(300); // the segmented control's indicator slides
    await team.screenshot({ path: '/tmp/tax-exceptions.png' });

    // The flag shows on the invoice itself and on the account, for the collector.
    await desk.goto(`${base}/aging/items/INV-TX-1`);
    await desk.getByTestId('item-tax-flag').getByText('Tax charged to an exempt customer').waitFor();
    assert.match((await desk.getByTestId('item-tax-flag').textContent()) ?? '', /US-TX/);
    await desk.goto(`${base}/accounts/TX-A1`);
    await desk.getByTestId('account-tax-flags').waitFor();
    assert.match((await desk.getByTestId('account-tax-flags').textContent()) ?? '', /2 invoices flagged/);

    // The partner sees it valid.
    await portal.reload();
    await portal.getByTestId(`my-certificate-${id}`).getByText('Valid', { exact: true }).waitFor();
    await portal.screenshot({ path: '/tmp/tax-portal-valid.png', fullPage: true });
    const { rows } = await tdb.db.query<{ status: string; decided_by: string }>(
      'select status, decided_by from tax_certificates where certificate_id = $1',
      [id],
    );
    assert.deepEqual(rows[0], { status: 'validated', decided_by: 'tina' });
  } finally {
    await browser.close();
  }
});
