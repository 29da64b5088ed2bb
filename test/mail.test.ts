import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import {
  deliverEmails,
  getEmail,
  listEmails,
  queueEmail,
  sendQueued,
} from '../src/modules/correspondence/index.ts';
import { listEntityAudit } from '../src/modules/platform/index.ts';
import { runStatements } from '../src/modules/receivables/index.ts';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';

/**
 * Correspondence through real SMTP: an smtp-server peer on a random port receives what the statement run
 * sends; a peer that refuses makes the e-mail fail visibly, and a retry delivers it; without SMTP_URL the
 * message lands in the outbox folder as an .eml file.
 */
interface Received {
  from: string;
  to: string[];
  raw: string;
}

let t: TestApp;
let server: SMTPServer;
let port: number;
/** The SMTP reply code the peer refuses recipients with (451 try later, 550 no such mailbox), or null. */
let refuse: number | null = null;
/** Recipients the peer refuses for good, whatever `refuse` says. */
const unknownMailboxes = new Set(['nobody@mercury.test']);
const received: Received[] = [];

before(async () => {
  t = await createTestApp();
  process.env.CLEARHOUSE_HOME = t.home;
  process.env.CLEARHOUSE_MAIL_FROM = 'Acme Receivables <ar@acme.test>';
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (unknownMailboxes.has(address.address)) {
        callback(Object.assign(new Error('No such mailbox here'), { responseCode: 550 }));
        return;
      }
      if (refuse) {
        const err = Object.assign(new Error('Mailbox unavailable: try later'), { responseCode: refuse });
        callback(err);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.server.address() as AddressInfo).port;
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;

  await addAccount(t.db, 'M1', { name: 'Mercury Office', billing_email: 'billing@mercury.test' });
  await addAccount(t.db, 'M2', { name: 'No contact' }); // open items, but no billing contact
  await addAccount(t.db, 'M3', { billing_email: 'ap@m3.test' }); // a billing contact, nothing open
  await t.db.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount) values
       ('M1', 'M-INV-1', 'invoice', '2026-02-01', '2026-03-03', 'EUR', '5930.00'),
       ('M2', 'M-INV-2', 'invoice', '2026-02-01', '2026-03-03', 'EUR', '10.00'),
       ('M3', 'M-INV-3', 'invoice', '2026-02-01', '2026-03-03', 'EUR', '10.00')`,
  );
  await t.db.query(
    `insert into ar_payments (account_id, payment_id, received_date, amount, currency) values
       ('M3', 'M-PAY-3', '2026-02-10', '10.00', 'EUR')`,
  );
  await t.db.query(
    `insert into ar_applications (account_id, payment_id, document_id, applied_date, amount) values
       ('M3', 'M-PAY-3', 'M-INV-3', '2026-02-10', '10.00')`,
  );
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.close();
});

/** The decoded attachment of a MIME message with this content type. */
function attachment(raw: string, contentType: string): { fileName: string; content: Buffer } | undefined {
  const parts = raw.split(/\r?\n--[^\r\n]+\r?\n/);
  for (const part of parts) {
    const [head = '', ...body] = part.split(/\r?\n\r?\n/);
    if (!head.toLowerCase().includes(`content-type: ${contentType}`)) continue;
    const fileName = /filename="?([^";\r\n]+)"?/.exec(head)?.[1] ?? '';
    const data = body.join('\n\n').replace(/\r?\n--[\s\S]*$/, '');
    return { fileName, content: Buffer.from(data.replace(/\s+/g, ''), 'base64') };
  }
  return undefined;
}

describe('mail', () => {
  test('the statement run e-mails the billing contact with the PDF attached, once a month', async () => {
    const run = await runStatements(t.db, t.store, { asOf: '2026-03-31' });
    assert.equal(run.accounts, 1);
    assert.equal(run.queued, 1);
    assert.equal(run.delivery, 'pending'); // no job queue in this process
    const [emailId] = run.email_ids;
    assert.equal((await getEmail(t.db, emailId!)).status, 'queued');

    const result = await sendQueued(t.db, { store: t.store });
    assert.deepEqual(result, { sent: 1, failed: 0, bounced: 0, skipped: 0 });
    assert.equal(received.length, 1);
    const mail = received[0]!;
    assert.deepEqual(mail.to, ['billing@mercury.test']);
    assert.equal(mail.from, 'ar@acme.test');
    assert.match(mail.raw, /Subject: Statement of account M1 as of 2026-03-31/);
    assert.match(mail.raw, /Closing balance: 5,930\.00 EUR/);
    const pdf = attachment(mail.raw, 'application/pdf');
    assert.ok(pdf, 'a PDF is attached');
    assert.equal(pdf.fileName, 'statement-M1-2026-03-31.pdf');
    assert.equal(pdf.content.subarray(0, 5).toString(), '%PDF-');

    const email = await getEmail(t.db, emailId!);
    assert.equal(email.status, 'sent');
    assert.equal(email.transport, 'smtp');
    assert.equal(email.attempts, 1);
    assert.equal(email.message_id, `<${emailId}@acme.test>`);
    assert.ok(email.sent_at);
    assert.ok(fs.existsSync(path.join(t.home, email.eml_path!)));
    assert.match(mail.raw, new RegExp(`Message-ID: <${emailId}@acme.test>`, 'i'));

    // Kept in the account's timeline: the statement document and the e-mail sent.
    const events = await listEntityAudit(t.db, 'account', 'M1');
    const actions = events.map((e) => e.action);
    assert.ok(actions.includes('document_attached'), actions.join());
    assert.ok(actions.includes('email_sent'), actions.join());

    // Never twice for the same account and month.
    const again = await runStatements(t.db, t.store, { asOf: '2026-03-31' });
    assert.equal(again.queued, 0);
    assert.equal(again.skipped, 1);
    assert.deepEqual(await sendQueued(t.db, { store: t.store }), {
      sent: 0,
      failed: 0,
      bounced: 0,
      skipped: 0,
    });
    assert.equal(received.length, 1);
  });

  test('a server refusing for now (451) marks the e-mail failed with the error; a retry delivers it', async () => {
    refuse = 451;
    const email = await queueEmail(t.db, {
      accountId: 'M1',
      to: ['billing@mercury.test'],
      subject: 'Past due reminder',
      body: 'Please pay.',
    });
    assert.ok(email);
    assert.deepEqual(await sendQueued(t.db, { store: t.store }), {
      sent: 0,
      failed: 1,
      bounced: 0,
      skipped: 0,
    });
    let row = await getEmail(t.db, email.email_id);
    assert.equal(row.status, 'failed');
    assert.equal(row.attempts, 1);
    assert.match(row.last_error ?? '', /451|Mailbox unavailable/);
    assert.ok(new Date(row.next_attempt_at) > new Date(), 'the next attempt waits (backoff)');
    // Not due yet: the automatic retry leaves it alone.
    assert.deepEqual(await sendQueued(t.db, { store: t.store }), {
      sent: 0,
      failed: 0,
      bounced: 0,
      skipped: 0,
    });
    const failures = await listEmails(t.db, { status: 'failed' });
    assert.deepEqual(
      failures.items.map((e) => e.email_id),
      [email.email_id],
    );

    refuse = null;
    const u = await addUser(t.db, 'collector@corp.test', ['collector']);
    const collector = await Browser.signedIn(t.app, u.email, u.password);
    const res = await collector.post(`/api/emails/${email.email_id}/retry`);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().email.status, 'sent');
    row = await getEmail(t.db, email.email_id);
    assert.equal(row.attempts, 2);
    assert.equal(row.last_error, null);
    assert.ok(received.some((m) => m.raw.includes('Subject: Past due reminder')));
    // A sent e-mail cannot be retried; the message as sent can be downloaded.
    assert.equal((await collector.post(`/api/emails/${email.email_id}/retry`)).statusCode, 409);
    const raw = await collector.get(`/api/emails/${email.email_id}/raw`);
    assert.equal(raw.statusCode, 200);
    assert.equal(raw.headers['content-type'], 'message/rfc822');
    assert.match(raw.body, /Subject: Past due reminder/);
    const list = await collector.get('/api/emails?account_id=M1');
    assert.equal(list.statusCode, 200);
    assert.equal(list.json().total, 2);
    const actions = (await listEntityAudit(t.db, 'account', 'M1')).map((e) => e.action);
    assert.ok(actions.includes('email_failed'), actions.join());
    // The e-mail's history shows the failed attempt, the retry and the delivery, in order.
    const detail = await collector.get(`/api/emails/${email.email_id}`);
    assert.equal(detail.statusCode, 200, detail.body);
    assert.deepEqual(
      (detail.json().history as { event: string; attempt: number | null }[]).map((h) => [h.event, h.attempt]),
      [
        ['queued', null],
        ['failed', 1],
        ['retry', null],
        ['sent', null],
      ],
    );
  });

  test('a permanent refusal (550) is a bounce: not retried; resent to a corrected address it arrives', async () => {
    await addAccount(t.db, 'M4', { name: 'Wrong Address Ltd', billing_email: 'nobody@mercury.test' });
    const email = await queueEmail(t.db, {
      accountId: 'M4',
      to: ['nobody@mercury.test'],
      subject: 'Reminder to a wrong address',
      body: 'Please pay.',
    });
    assert.ok(email);
    assert.deepEqual(await sendQueued(t.db, { store: t.store }), {
      sent: 0,
      failed: 0,
      bounced: 1,
      skipped: 0,
    });
    const row = await getEmail(t.db, email.email_id);
    assert.equal(row.status, 'bounced');
    assert.match(row.bounce_reason ?? '', /550|No such mailbox/);
    assert.ok(row.bounced_at);
    // Bounced is final for the automatic retries.
    assert.deepEqual(await sendQueued(t.db, { store: t.store }), {
      sent: 0,
      failed: 0,
      bounced: 0,
      skipped: 0,
    });
    assert.equal((await listEmails(t.db, { status: 'bounced' })).items.length, 1);
    assert.equal((await listEmails(t.db, { account_id: 'M4' })).counts.bounced, 1);

    const u = await addUser(t.db, 'collector2@corp.test', ['collector']);
    const collector = await Browser.signedIn(t.app, u.email, u.password);
    // A retry is for failures that may pass; a bounce is resent, here to the corrected address.
    assert.equal((await collector.post(`/api/emails/${email.email_id}/retry`)).statusCode, 409);
    const before = received.length;
    const res = await collector.post(`/api/emails/${email.email_id}/resend`, {
      to: ['ap@wrong-address.test'],
    });
    assert.equal(res.statusCode, 201, res.body);
    const copy = res.json().email;
    assert.notEqual(copy.email_id, email.email_id);
    assert.equal(copy.status, 'sent');
    assert.equal(copy.resend_of, email.email_id);
    assert.deepEqual(copy.to_addresses, ['ap@wrong-address.test']);
    assert.equal(received.length, before + 1);
    assert.deepEqual(received.at(-1)!.to, ['ap@wrong-address.test']);
    assert.match(received.at(-1)!.raw, /Subject: Reminder to a wrong address/);
    // The original stays bounced and names its resend.
    const original = (await collector.get(`/api/emails/${email.email_id}`)).json();
    assert.equal(original.email.status, 'bounced');
    assert.deepEqual(original.resends, [copy.email_id]);
    assert.deepEqual(
      (original.history as { event: string }[]).map((h) => h.event),
      ['queued', 'bounced', 'resent'],
    );
  });

  test('a delivery status notification that comes back later marks the sent e-mail bounced', async () => {
    const email = await queueEmail(t.db, {
      accountId: 'M1',
      to: ['billing@mercury.test'],
      subject: 'Accepted, then bounced',
      body: 'Hello.',
    });
    assert.ok(email);
    await sendQueued(t.db, { store: t.store });
    assert.equal((await getEmail(t.db, email.email_id)).status, 'sent');
    const dsn = [
      'From: MAILER-DAEMON@mx.mercury.test',
      'To: ar@acme.test',
      'Subject: Undelivered Mail Returned to Sender',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
      '',
      '--b',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.mercury.test',
      '',
      'Final-Recipient: rfc822; billing@mercury.test',
      'Action: failed',
      'Status: 5.2.2',
      'Diagnostic-Code: smtp; 552 5.2.2 mailbox full',
      '',
      '--b',
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: <${email.email_id}@acme.test>`,
      'Subject: Accepted, then bounced',
      '--b--',
    ].join('\r\n');
    const u = await addUser(t.db, 'collector3@corp.test', ['collector']);
    const collector = await Browser.signedIn(t.app, u.email, u.password);
    const res = await collector.request('POST', '/api/emails/bounces', {
      headers: { 'content-type': 'multipart/report; report-type=delivery-status; boundary="b"' },
      payload: dsn,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().email.status, 'bounced');
    assert.equal(res.json().reason, 'smtp; 552 5.2.2 mailbox full');
    // A notice that reports no failure, or names no e-mail of ours, is refused with the reason.
    const delayed = await collector.post('/api/emails/bounces', {
      message: dsn.replace('Action: failed', 'Action: delayed').replace('Status: 5.2.2', 'Status: 4.4.1'),
    });
    assert.equal(delayed.statusCode, 400, delayed.body);
    const unknown = await collector.post('/api/emails/bounces', {
      message: 'Action: failed\r\nStatus: 5.1.1',
    });
    assert.equal(unknown.statusCode, 400, unknown.body);
    assert.match(unknown.json().error.message, /no Message-ID/);
  });

  test('without SMTP_URL the message lands in the outbox folder as .eml', async () => {
    const smtpUrl = process.env.SMTP_URL;
    delete process.env.SMTP_URL;
    try {
      const before = received.length;
      const email = await queueEmail(t.db, {
        accountId: 'M1',
        to: ['billing@mercury.test'],
        cc: ['collector@corp.test'],
        subject: 'Kept in the outbox',
        body: 'Hello from the outbox.',
      });
      assert.ok(email);
      assert.deepEqual(await sendQueued(t.db, { store: t.store }), {
        sent: 1,
        failed: 0,
        bounced: 0,
        skipped: 0,
      });
      const row = await getEmail(t.db, email.email_id);
      assert.equal(row.status, 'sent');
      assert.equal(row.transport, 'outbox');
      assert.equal(row.eml_path, path.join('outbox', `${email.email_id}.eml`));
      const eml = fs.readFileSync(path.join(t.home, 'outbox', `${email.email_id}.eml`), 'utf8');
      assert.match(eml, /Subject: Kept in the outbox/);
      assert.match(eml, /Cc: collector@corp\.test/);
      assert.match(eml, /Hello from the outbox\./);
      assert.equal(received.length, before, 'nothing went to the SMTP server');
      const outbox = await listEmails(t.db, { transport: 'outbox' });
      assert.deepEqual(
        outbox.items.map((e) => e.email_id),
        [email.email_id],
      );
    } finally {
      process.env.SMTP_URL = smtpUrl;
    }
  });

  test('e-mails delivered together in one transaction each keep their own outcome, state and audit row', async () => {
    await addAccount(t.db, 'M5', { name: 'Batch Ltd', billing_email: 'ap@batch.test' });
    const queue = (to: string, subject: string, attachments: string[] = []) =>
      queueEmail(t.db, { accountId: 'M5', to: [to], subject, body: 'Hello.', attachments });
    const ok = (await queue('ap@batch.test', 'Batch: arrives'))!;
    const bounced = (await queue('nobody@mercury.test', 'Batch: refused for good'))!;
    const missing = (await queue('ap@batch.test', 'Batch: attachment gone', [
      '00000000-0000-4000-8000-000000000000',
    ]))!;
    const before = received.length;
    const outcomes = await deliverEmails(
      t.db,
      [ok.email_id, bounced.email_id, missing.email_id, ok.email_id, '11111111-1111-4111-8111-111111111111'],
      { store: t.store },
    );
    // An id asked twice is sent once; an e-mail that does not exist is skipped.
    assert.deepEqual(outcomes, ['sent', 'bounced', 'failed', 'skipped', 'skipped']);
    assert.equal(received.length, before + 1);
    assert.match(received.at(-1)!.raw, /Subject: Batch: arrives/);

    const sent = await getEmail(t.db, ok.email_id);
    assert.equal(sent.status, 'sent');
    assert.equal(sent.attempts, 1);
    assert.equal(sent.transport, 'smtp');
    assert.equal(sent.message_id, `<${ok.email_id}@acme.test>`);
    assert.ok(sent.sent_at && fs.existsSync(path.join(t.home, sent.eml_path!)));
    const refused = await getEmail(t.db, bounced.email_id);
    assert.equal(refused.status, 'bounced');
    assert.match(refused.bounce_reason ?? '', /550|No such mailbox/);
    assert.equal(refused.transport, null);
    assert.ok(refused.bounced_at && !refused.sent_at);
    const failed = await getEmail(t.db, missing.email_id);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.attempts, 1);
    assert.equal(failed.last_error, 'The document was not found.');
    assert.ok(new Date(failed.next_attempt_at) > new Date(), 'the next attempt waits (backoff)');
    assert.equal(failed.eml_path, null);

    const events = (await listEntityAudit(t.db, 'account', 'M5')).filter((e) => e.action !== 'email_queued');
    const byEmail = new Map(events.map((e) => [(e.after as { email_id: string }).email_id, e.action]));
    assert.equal(events.length, 3);
    assert.equal(byEmail.get(ok.email_id), 'email_sent');
    assert.equal(byEmail.get(bounced.email_id), 'email_bounced');
    assert.equal(byEmail.get(missing.email_id), 'email_failed');
    // Done: nothing is sent again.
    assert.deepEqual(await deliverEmails(t.db, [ok.email_id, bounced.email_id], { store: t.store }), [
      'skipped',
      'skipped',
    ]);
  });
});
