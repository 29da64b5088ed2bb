import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { buildServer } from '../../src/http/server.ts';
import { fileSystemStore } from '../../src/modules/platform/index.ts';
import { addUser, loadFiles } from '../helpers/app.ts';
import { launchBrowser } from './browser.ts';

/**
 * The collector's day end to end: the worklist shows their account with a past-due invoice; on the account
 * page they send a reminder (it arrives at an smtp-server peer, the statement attached, and shows in the
 * timeline), then log a call with the outcome "promised" and its promise to pay, both shown once recorded.
 * And Account 360: the partner's claims and credit memos, its strategy and contacts, beside its receivables.
 */

let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
let collector: { email: string; password: string };
let smtp: SMTPServer;
const received: { to: string[]; raw: string }[] = [];
const saved = { smtp: process.env.SMTP_URL, home: process.env.CLEARHOUSE_HOME };

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const promisedDate = day(10);

const files: [string, string[]][] = [
  [
    'accounts.csv',
    [
      'account_id,name,country,currency,payment_terms_days,collector,segment,billing_email,claims_email',
      'C1,Northwind Distribution,DE,EUR,30,cora@corp.test,key,ap@northwind.test,',
      'C2,Contoso Supplies,US,USD,45,bob@corp.test,smb,,',
      'C3,Fabrikam Partners,DE,EUR,30,bob@corp.test,,billing@fabrikam.test,rebates@fabrikam.test',
    ],
  ],
  [
    'invoices.csv',
    [
      'document_id,account_id,type,document_date,due_date,currency,amount,tax_amount,reference,po_number',
      `INV-10,C1,invoice,${day(-70)},${day(-40)},EUR,1200.00,,R1,PO-1`,
      `INV-11,C2,invoice,${day(-70)},${day(-40)},USD,800.00,,,`,
      `INV-30,C3,invoice,${day(-20)},${day(10)},EUR,900.00,,,`,
      `CM-30,C3,credit_memo,${day(-15)},,EUR,150.00,,CL-30,`,
      `CM-31,C3,credit_memo,${day(-5)},,EUR,40.00,,CL-31,`,
    ],
  ],
  ['applications.csv', ['payment_id,document_id,applied_date,amount', `CM-30,INV-30,${day(-10)},150.00`]],
];

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-collector-'));
  process.env.CLEARHOUSE_HOME = home;
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  process.env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  await loadFiles(
    tdb.db,
    home,
    files.map(([name, lines]) => [name, `${lines.join('\n')}\n`] as const),
  );
  // The partner's claims (the claims module's own tables; CM-30 paid CL-30, CM-31 pays CL-31).
  await tdb.db.query(
    `insert into claims (account_id, claim_id, program_id, submitted_date, currency, status) values
       ('C3', 'CL-30', 'SO-2026', $1, 'EUR', 'paid'), ('C3', 'CL-31', 'SO-2026', $2, 'EUR', 'paid'),
       ('C3', 'CL-32', 'SO-2026', $2, 'EUR', 'in_review')`,
    [day(-30), day(-8)],
  );
  await tdb.db.query(
    `insert into claim_lines (account_id, claim_id, line_no, claimed_amount, approved_amount, status) values
       ('C3', 'CL-30', 1, '150.00', '150.00', 'approved'), ('C3', 'CL-31', 1, '55.00', '40.00', 'adjusted'),
       ('C3', 'CL-32', 1, '75.00', null, 'review')`,
  );
  collector = await addUser(tdb.db, 'cora@corp.test', ['collector']);
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
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  if (home) fs.rmSync(home, { recursive: true, force: true });
  for (const [k, v] of [
    ['SMTP_URL', saved.smtp],
    ['CLEARHOUSE_HOME', saved.home],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto(`${base}/sign-in`);
  const form = page.getByTestId('sign-in-form');
  await form.getByLabel(/e-?mail/i).fill(who.email);
  await form.getByLabel(/password/i).fill(who.password);
  await form.getByRole('button', { name: /sign in/i }).click();
  await page.getByTestId('app-world').waitFor();
}

test('a collector opens the worklist and an account, sends a reminder, logs a call with a promise', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
    await signIn(page, collector);
    await page.getByTestId('nav').getByText('Worklist', { exact: true }).click();

    // Only the collector's own account, with its past-due invoice and the next action.
    const grid = page.getByTestId('worklist-grid');
    const row = grid.locator('.ag-row').filter({ hasText: 'C1' });
    await row.waitFor();
    assert.equal(await grid.locator('.ag-row').count(), 1, 'only the collector’s own accounts');
    // Columns that do not fit 1440 px wait behind the column chooser: show one before reading it.
    const cell = async (column: string) => {
      const header = grid.locator(`.ag-header-cell[col-id=${column}]`);
      if ((await header.count()) === 0) {
        await page.getByTestId('grid-columns').click();
        await page.getByTestId(`grid-column-${column}`).click();
        await page.keyboard.press('Escape');
        await header.waitFor();
      }
      return ((await row.locator(`[col-id=${column}]`).textContent()) ?? '').trim();
    };
    assert.equal(await cell('past_due_amount'), '1,200.00 EUR');
    assert.equal(await cell('oldest_days_past_due'), '40');
    assert.equal(await cell('broken_promises'), '0');
    assert.equal(await cell('next_action'), 'Send reminder');
    await page.screenshot({ path: '/tmp/worklist.png', fullPage: true });

    // A row opens the account page, with its open items and an empty timeline.
    await row.locator('[col-id=account_id]').click();
    await page.waitForURL(/\/accounts\/C1$/);
    await page.getByTestId('account-open-items').getByText('INV-10').waitFor();
    const timeline = page.getByTestId('account-timeline');
    await timeline.getByText('No comments, calls or e-mails yet.').waitFor();
    await page.getByTestId('promises-list').getByText('No promises yet', { exact: false }).waitFor();

    // Send a reminder of what is past due: it goes to the billing contact with the statement attached.
    await page.getByTestId('send-account-reminder').click();
    const send = page.getByTestId('send-email-form');
    await send.getByText('ap@northwind.test').waitFor();
    await send.getByTestId('send-email-note').fill('As discussed, please pay the open invoice this week.');
    await send.getByTestId('send-email-submit').click();
    await send.waitFor({ state: 'detached' });
    const reminder = timeline.getByTestId('timeline-entry').filter({ hasText: 'E-mail (reminder, sent)' });
    await reminder.waitFor();
    assert.match(
      (await reminder.textContent()) ?? '',
      /Payment reminder: EUR 1,200\.00 past due on account C1/,
    );
    assert.equal(received.length, 1, 'the reminder reached the SMTP peer');
    assert.deepEqual(received[0]!.to, ['ap@northwind.test']);
    const raw = received[0]!.raw.replace(/=\r?\n/g, '');
    assert.match(raw, /INV-10\s+due \S+, 40 days past due\s+EUR 1,200\.00/);
    assert.match(raw, /As discussed, please pay the open invoice this week\./);
    assert.match(raw, /filename="?statement-C1-\d{4}-\d{2}-\d{2}\.pdf/);

    // Log a call: promised to pay, with the amount and the date.
    await timeline.getByText('Log a call', { exact: true }).click();
    const form = page.getByTestId('log-call-form');
    await form.getByTestId('call-outcome').click();
    await page.getByRole('option', { name: 'Promised to pay' }).click();
    await form.getByTestId('promise-amount').fill('600.00');
    await form.getByTestId('promise-date').fill(promisedDate);
    await form.getByTestId('activity-body').fill('Spoke to accounts payable; half now, half next month.');
    await form.getByRole('button', { name: 'Log call and promise' }).click();

    // The call and the promise in the timeline, the promise in the list.
    const entries = timeline.getByTestId('timeline-entry');
    await entries.filter({ hasText: 'Call: Promised to pay' }).waitFor();
    await entries.filter({ hasText: 'Promise to pay' }).first().waitFor();
    const texts = (await entries.allTextContents()).map((s) => s.replace(/\s+/g, ' '));
    assert.ok(
      texts.some((s) => /Call: Promised to pay.*half now, half next month/.test(s)),
      texts.join('\n'),
    );
    assert.ok(
      texts.some((s) => s.includes(`Promised EUR 600.00 by ${promisedDate}`)),
      texts.join('\n'),
    );
    const promise = page.getByTestId('promises-list').getByTestId('promise-row');
    await promise.waitFor();
    const promiseText = ((await promise.textContent()) ?? '').replace(/\s+/g, ' ');
    assert.match(promiseText, /600\.00 EUR/);
    assert.match(promiseText, /open/);
    await page.screenshot({ path: '/tmp/account-collections.png', fullPage: true });
    // The reminder is kept on the correspondence page too, sent through SMTP.
    await page.getByTestId('nav').getByText('Correspondence', { exact: true }).click();
    const sent = page.getByTestId('outbox-grid').locator('.ag-row').filter({ hasText: 'Payment reminder' });
    await sent.waitFor();
    assert.match((await sent.textContent()) ?? '', /sent.*C1.*ap@northwind\.test.*Reminder/);

    // Back on the worklist, the account now waits on its open promise.
    await page.getByTestId('nav').getByText('Worklist', { exact: true }).click();
    const again = page.getByTestId('worklist-grid').locator('.ag-row').filter({ hasText: 'C1' });
    await again.locator('[col-id=next_action]').filter({ hasText: 'Follow up promise' }).waitFor();
    assert.match((await again.locator('[col-id=open_promise]').textContent()) ?? '', /600\.00 EUR/);
  } finally {
    await browser.close();
  }
});

test('Account 360 shows the partner’s claims and credit memos beside its receivables', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
    await signIn(page, collector);
    await page.goto(`${base}/accounts/C3`);
    await page.getByTestId('account-360').waitFor();
    // Balance: INV-30 900 − 150 applied = 750 not due; CM-31 −40 open credit; CM-30 fully used. 710.00.
    const summary = page.getByTestId('account-summary');
    await summary.getByText('710.00 EUR').waitFor();
    const contacts = page.getByTestId('account-contacts');
    await contacts.getByText('billing@fabrikam.test').waitFor();
    await contacts.getByText('rebates@fabrikam.test').waitFor();
    await page.getByTestId('account-strategy').getByText('Nothing past due: no cycle running.').waitFor();

    const claims = page.getByTestId('account-claims');
    const rows = async (id: string) => {
      const out: string[] = [];
      for (const tr of await claims.getByTestId(id).locator('tbody tr').all())
        out.push(
          (await tr.locator('td').allTextContents()).map((c) => c.replace(/\s+/g, ' ').trim()).join(' | '),
        );
      return out;
    };
    await claims.getByTestId('partner-claims').waitFor();
    const claimRows = await rows('partner-claims');
    assert.equal(claimRows.length, 3, claimRows.join('\n'));
    assert.ok(
      claimRows.some((r) => /^CL-31 \| .* \| paid \| 55\.00 EUR \| 40\.00 EUR$/.test(r)),
      claimRows.join('\n'),
    );
    assert.ok(
      claimRows.some((r) => /^CL-32 \| .* \| in review \| 75\.00 EUR \| $/.test(r)),
      claimRows.join('\n'),
    );
    assert.match(claimRows[2]!, /^CL-30 \| .* \| paid \| 150\.00 EUR \| 150\.00 EUR$/, 'the oldest last');
    const memoRows = await rows('partner-credit-memos');
    assert.deepEqual(
      memoRows.map((r) => r.replace(/ \| [A-Z][a-z]{2} \d{1,2}, \d{4} \| /, ' | ')),
      ['CM-31 | claim CL-31 | 40.00 EUR | 40.00 EUR', 'CM-30 | claim CL-30 | 150.00 EUR | 0.00 EUR'],
    );
    assert.match(
      (await claims.getByTestId('claims-summary').textContent()) ?? '',
      /3 claims \(2 paid, 1 in review\) · 2 credit memos, 40\.00 EUR still open/,
    );
    // A claim leads to its page in the claims desk.
    await claims.getByRole('link', { name: 'CL-32' }).click();
    await page.waitForURL(/\/claims\/CL-32\?account_id=C3$/);
    await page.screenshot({ path: '/tmp/account-360-claim.png' });
  } finally {
    await browser.close();
  }
});
