import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { ruleTitle } from '../../src/modules/claims/rule-texts.ts';
import { sendQueued } from '../../src/modules/correspondence/index.ts';
import { fileSystemStore } from '../../src/modules/platform/index.ts';
import { addAccount, addUser } from '../helpers/app.ts';
import { type SmtpPeer, startSmtpPeer } from '../helpers/smtp.ts';
import { launchBrowser, serveApp, signInPage } from './browser.ts';

/**
 * A partner and its analyst talk about a claim: the partner asks on the claim page in the portal; the
 * analyst sees it unread in the desk's navigation and Messages inbox and answers with a document attached;
 * the partner sees the answer. Both e-mails reach an smtp-server peer (the analyst, the partner's claims
 * contact). Then the analyst sends the scorecard's advice on the partner's late claims as a recommendation,
 * and the partner acknowledges it on its scorecard.
 */
let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
let smtp: SmtpPeer;
let analyst: { email: string; password: string };
let partner: { email: string; password: string };
const saved = { home: process.env.CLEARHOUSE_HOME };
const shots = process.env.CLEARHOUSE_SCREENSHOTS;

const header = (raw: string, name: string) =>
  new RegExp(`^${name}: (.*(?:\\r?\\n[ \\t].*)*)`, 'mi').exec(raw)?.[1]?.replace(/\r?\n[ \t]+/g, ' ') ?? '';

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-messages-'));
  process.env.CLEARHOUSE_HOME = home;
  smtp = await startSmtpPeer();

  await addAccount(tdb.db, 'P-1', {
    name: 'Northwind Distribution',
    rebate_analyst: 'ana@corp.test',
    claims_email: 'claims@northwind.test',
  });
  await tdb.db.query(
    `insert into claims (account_id, claim_id, program_id, submitted_date, currency, status) values
       ('P-1', 'C-7', 'SO-2026', '2026-05-11', 'EUR', 'rejected'),
       ('P-1', 'C-8', 'SO-2026', '2026-06-15', 'EUR', 'rejected')`,
  );
  await tdb.db.query(
    `insert into claim_lines (account_id, claim_id, line_no, sku, qty, claimed_unit_amount, claimed_amount,
       sale_date, status) values
       ('P-1', 'C-7', 1, 'X-1', 4, '25.00', '100.00', '2026-01-20', 'rejected'),
       ('P-1', 'C-8', 1, 'X-1', 2, '25.00', '50.00', '2026-02-25', 'rejected')`,
  );
  await tdb.db.query(
    `insert into claim_findings (account_id, claim_id, line_no, rule_code, effect, detail, evidence) values
       ('P-1', 'C-7', 1, 'LATE_SUBMISSION', 'reject', 'Submitted on 2026-05-11; claims for 2026-01-20 were due by 2026-04-20 (90 days).',
        '{"submitted_date": "2026-05-11", "due": "2026-04-20", "claim_window_days": 90}'),
       ('P-1', 'C-8', 1, 'LATE_SUBMISSION', 'reject', 'Submitted on 2026-06-15; claims for 2026-02-25 were due by 2026-05-26 (90 days).',
        '{"submitted_date": "2026-06-15", "due": "2026-05-26", "claim_window_days": 90}')`,
  );
  analyst = await addUser(tdb.db, 'ana@corp.test', ['rebate_analyst']);
  partner = await addUser(tdb.db, 'pat@northwind.test', ['partner'], 'P-1');
  ({ app, base } = await serveApp(tdb.db, home));
});

after(async () => {
  await app?.close();
  await tdb?.drop();
  await smtp?.close();
  if (home) fs.rmSync(home, { recursive: true, force: true });
  for (const [k, v] of [['CLEARHOUSE_HOME', saved.home]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

test('a partner asks about a claim, the analyst answers with a document, both are e-mailed', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const viewport = { width: 1440, height: 1000 };
    const portal = await browser.newPage({ viewport, locale: 'en-US' });
    await signInPage(portal, base, partner);
    await portal.goto(`${base}/claims/C-7`);
    const panel = portal.getByTestId('messages-panel');
    await panel.getByTestId('messages-empty').waitFor();
    await panel
      .getByTestId('message-body')
      .fill('Why was line 1 rejected? We sent the claim as soon as we had the invoice.');
    await panel.getByTestId('message-send').click();
    await panel.getByTestId('message').first().waitFor();
    assert.equal(await panel.getByTestId('message').count(), 1);

    // The analyst: the question waits, unread, in the navigation and the inbox.
    const desk = await browser.newPage({ viewport, locale: 'en-US' });
    await signInPage(desk, base, analyst);
    const badge = desk.getByTestId('messages-unread-total');
    await badge.waitFor();
    assert.equal((await badge.textContent())?.trim(), '1');
    await desk
      .getByTestId('nav')
      .getByRole('link', { name: /Messages/ })
      .click();
    const thread = desk.getByTestId('message-thread').first();
    await thread.waitFor();
    assert.match((await thread.textContent()) ?? '', /Claim C-7 · Northwind Distribution/);
    assert.equal((await thread.getByTestId('thread-unread').textContent())?.trim(), '1');
    if (shots) await desk.screenshot({ path: path.join(shots, 'messages-inbox-unread.png'), fullPage: true });
    await thread.click();
    const deskPanel = desk.getByTestId('messages-panel');
    await deskPanel.getByText('Why was line 1 rejected?').waitFor();
    // Opened, it is read: the badge goes.
    await badge.waitFor({ state: 'detached' });

    // The answer, with the policy attached.
    const policy = path.join(home, 'claim-window-policy.txt');
    fs.writeFileSync(policy, 'Claims are due within 90 days of the sale.\n');
    await deskPanel
      .getByTestId('message-body')
      .fill(
        'The claim came 21 days after the 90-day window closed; the policy is attached. Claim weekly and it will not happen again.',
      );
    await deskPanel.locator('input[type=file]').setInputFiles(policy);
    await deskPanel.getByText('claim-window-policy.txt').waitFor();
    await deskPanel.getByTestId('message-send').click();
    await deskPanel.getByTestId('message-attachment').waitFor();
    assert.equal(await deskPanel.getByTestId('message').count(), 2);
    await deskPanel.getByText(/E-mailed to claims@northwind\.test/).waitFor();
    if (shots) await desk.screenshot({ path: path.join(shots, 'messages-desk-answer.png'), fullPage: true });

    // The partner sees the answer (unread until it is opened), with the document.
    await portal.reload();
    const portalBadge = portal.getByTestId('messages-unread-total');
    await portal.getByTestId('messages-panel').getByTestId('message-attachment').waitFor();
    assert.match(
      (await portal.getByTestId('message').nth(1).textContent()) ?? '',
      /21 days after the 90-day window/,
    );
    assert.equal(
      (await portal.getByTestId('message-attachment').textContent())?.trim(),
      'claim-window-policy.txt',
    );
    await portalBadge.waitFor({ state: 'detached' });
    if (shots)
      await portal.screenshot({ path: path.join(shots, 'messages-portal-claim.png'), fullPage: true });

    // Both e-mails through SMTP: the question to the analyst, the answer (with the file) to the claims contact.
    const sent = await sendQueued(tdb.db, { store: fileSystemStore(path.join(home, 'documents')), home });
    assert.equal(sent.sent, 2);
    const question = smtp.received.find((r) => r.to.includes('ana@corp.test'));
    const answer = smtp.received.find((r) => r.to.includes('claims@northwind.test'));
    assert.ok(question && answer, JSON.stringify(smtp.received.map((r) => r.to)));
    assert.deepEqual(question.to, ['ana@corp.test']);
    assert.deepEqual(answer.to, ['claims@northwind.test']);
    assert.equal(
      header(question.raw, 'Subject'),
      'Claim C-7 of Northwind Distribution (P-1): a message from pat',
    );
    assert.equal(header(answer.raw, 'Subject'), 'Claim C-7: a message from ana');
    assert.match(answer.raw, /filename=claim-window-policy\.txt/);

    // The claim's history keeps both.
    await desk.goto(`${base}/claims/C-7?account_id=P-1`);
    await desk.getByTestId('messages-panel').getByTestId('message').nth(1).waitFor();

    // A recommendation from the scorecard, acknowledged by the partner.
    await desk.goto(`${base}/scorecard`);
    await desk.getByTestId('scorecard-partner').click();
    await desk.getByTestId('scorecard-partner').fill('Northwind');
    await desk.getByRole('option', { name: /Northwind/ }).click();
    const row = desk.getByTestId('recurring-error').first();
    await row.waitFor();
    assert.match(
      (await row.textContent()) ?? '',
      /Your claims for program SO-2026 are late on average 21 days; submit within the 90-day window\./,
    );
    await row.getByTestId('send-recommendation').click();
    await desk.getByTestId('recommendation-send').click();
    await desk.getByTestId('recommendation-status').first().waitFor();
    assert.equal((await desk.getByTestId('recommendation-status').first().textContent())?.trim(), 'Sent');
    if (shots) await desk.screenshot({ path: path.join(shots, 'messages-scorecard.png'), fullPage: true });

    await portal.goto(`${base}/my-scorecard`);
    await portal.getByTestId('acknowledge-recommendation').click();
    await portal.getByTestId('recommendation-status').getByText('Acknowledged').waitFor();
    if (shots)
      await portal.screenshot({ path: path.join(shots, 'messages-portal-scorecard.png'), fullPage: true });
    await portal.goto(`${base}/my-messages`);
    await portal
      .getByTestId('messages-panel')
      // In the partner's words, never the rule code.
      .getByText(`Recommendation · ${ruleTitle('LATE_SUBMISSION')} · Acknowledged`)
      .waitFor();
    if (shots)
      await portal.screenshot({ path: path.join(shots, 'messages-portal-inbox.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});
