import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sendQueued } from '../src/modules/correspondence/index.ts';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';
import { type SmtpPeer, startSmtpPeer } from './helpers/smtp.ts';

/**
 * Messages between partners and the desk, through the API: a partner asks about its claim (with a document
 * attached) and its analyst is e-mailed; the analyst sees it unread and answers, and the partner's claims
 * contact is e-mailed; unread counts per thread and in all; a claim id two partners use names two
 * conversations; a partner never reaches another's; a retried post posts once; recommendations from the
 * scorecard are sent, acknowledged by the partner and resolved by the desk.
 */
let t: TestApp;
let smtp: SmtpPeer;
const saved = { home: process.env.CLEARHOUSE_HOME };
let ana: Browser;
let rita: Browser;
let collector: Browser;
let approver: Browser;
let one: Browser;
let two: Browser;

const header = (raw: string, name: string) =>
  new RegExp(`^${name}: (.*(?:\\r?\\n[ \\t].*)*)`, 'mi').exec(raw)?.[1]?.replace(/\r?\n[ \t]+/g, ' ') ?? '';

before(async () => {
  t = await createTestApp();
  process.env.CLEARHOUSE_HOME = t.home;
  smtp = await startSmtpPeer();

  await addAccount(t.db, 'P-1', {
    name: 'Northwind',
    rebate_analyst: 'ana@corp.test',
    claims_email: 'claims@one.test',
  });
  await addAccount(t.db, 'P-2', { name: 'Contoso' });
  // Both partners number a claim C-1; P-1's late claims on program PRG were 10 and 14 days late.
  await t.db.query(
    `insert into claims (account_id, claim_id, program_id, submitted_date, currency, status) values
       ('P-1', 'C-1', 'PRG', '2026-05-11', 'EUR', 'validated'), ('P-1', 'C-2', 'PRG', '2026-06-15', 'EUR', 'rejected'),
       ('P-2', 'C-1', 'PRG', '2026-05-11', 'EUR', 'validated')`,
  );
  await t.db.query(
    `insert into claim_lines (account_id, claim_id, line_no, claimed_amount, status) values
       ('P-1', 'C-1', 1, '10.00', 'rejected'), ('P-1', 'C-2', 1, '10.00', 'rejected'), ('P-2', 'C-1', 1, '10.00', 'approved')`,
  );
  await t.db.query(
    `insert into claim_findings (account_id, claim_id, line_no, rule_code, effect, detail, evidence) values
       ('P-1', 'C-1', 1, 'LATE_SUBMISSION', 'reject', 'late',
        '{"submitted_date": "2026-05-11", "due": "2026-05-01", "claim_window_days": 90}'),
       ('P-1', 'C-2', 1, 'LATE_SUBMISSION', 'reject', 'late',
        '{"submitted_date": "2026-06-15", "due": "2026-06-01", "claim_window_days": 90}')`,
  );
  const sign = async (email: string, roles: Parameters<typeof addUser>[2], account?: string) => {
    const u = await addUser(t.db, email, roles, account);
    return Browser.signedIn(t.app, u.email, u.password);
  };
  ana = await sign('ana@corp.test', ['rebate_analyst']);
  rita = await sign('rita@corp.test', ['rebate_analyst']);
  collector = await sign('cole@corp.test', ['collector']);
  approver = await sign('abe@corp.test', ['approver']);
  one = await sign('pat@one.test', ['partner'], 'P-1');
  two = await sign('pia@two.test', ['partner'], 'P-2');
});

after(async () => {
  await t?.close();
  await smtp?.close();
  for (const [k, v] of [['CLEARHOUSE_HOME', saved.home]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const deliver = () => sendQueued(t.db, { store: t.store, home: t.home });
const unreadTotal = async (b: Browser) =>
  (await b.get('/api/messages/threads')).json().unread_total as number;

describe('messages', () => {
  let asked = '';
  let answered = '';

  test('a partner asks about its claim with a document; its analyst is e-mailed, sees it unread', async () => {
    const doc = await one.upload(
      '/api/documents',
      { entity_type: 'claim', entity_id: 'C-1' },
      { name: 'invoice.txt', content: 'Invoice 4711, delivered 2026-04-02.\n' },
    );
    assert.equal(doc.statusCode, 201, doc.body);
    const res = await one.post('/api/claims/C-1/messages', {
      body: 'Why was line 1 rejected? The invoice is attached.',
      attachments: [doc.json().document.document_id],
    });
    assert.equal(res.statusCode, 201, res.body);
    const m = res.json().message;
    asked = m.message_id;
    assert.equal(m.author_side, 'partner');
    assert.equal(m.account_id, 'P-1');
    assert.equal(m.claim_id, 'C-1');
    assert.equal(m.mine, true);
    assert.deepEqual(
      m.attachments.map((a: { file_name: string }) => a.file_name),
      ['invoice.txt'],
    );
    // The internal e-mail is the company's: the partner does not see it on its message.
    assert.deepEqual(m.emails, []);

    assert.equal(await unreadTotal(one), 0, 'its own message is not unread to the partner');
    assert.equal(await unreadTotal(ana), 1);
    const threads = (await ana.get('/api/messages/threads')).json();
    assert.equal(threads.items[0].account_id, 'P-1');
    assert.equal(threads.items[0].claim_id, 'C-1');
    assert.equal(threads.items[0].unread, 1);
    assert.match(threads.items[0].last_message.excerpt, /^Why was line 1 rejected/);

    // C-1 names claims of two partners: the desk says which.
    assert.equal((await ana.get('/api/claims/C-1/messages')).statusCode, 400);
    const conv = (await ana.get('/api/claims/C-1/messages?account_id=P-1')).json();
    assert.equal(conv.partner_name, 'Northwind');
    assert.equal(conv.unread, 1);
    assert.equal(conv.items[0].unread, true);
    assert.deepEqual(
      conv.items[0].emails.map((e: { to: string[] }) => e.to),
      [['ana@corp.test']],
    );

    // Kept on the claim's history.
    const audit = (await ana.get('/api/audit/claim/C-1?account_id=P-1')).json().items;
    assert.ok(
      audit.some(
        (e: { action: string; after: { message_id?: string } }) =>
          e.action === 'message_posted' && e.after.message_id === asked,
      ),
    );
    const docs = (await ana.get(`/api/documents?entity_type=message&entity_id=${asked}`)).json().items;
    assert.equal(docs.length, 1);
  });

  test('the analyst answers with a document; the partner’s claims contact is e-mailed and it is unread to the partner', async () => {
    const doc = await ana.upload(
      '/api/documents',
      { entity_type: 'claim', entity_id: 'C-1', account_id: 'P-1' },
      { name: 'policy.txt', content: 'Claims are due within 90 days.\n' },
    );
    assert.equal(doc.statusCode, 201, doc.body);
    const res = await ana.post('/api/claims/C-1/messages?account_id=P-1', {
      body: 'The claim came after the 90-day window; see the policy attached.',
      attachments: [doc.json().document.document_id],
    });
    assert.equal(res.statusCode, 201, res.body);
    answered = res.json().message.message_id;
    assert.equal(res.json().message.author_side, 'desk');
    assert.deepEqual(
      res.json().message.emails.map((e: { to: string[] }) => e.to),
      [['claims@one.test']],
    );
    assert.equal(await unreadTotal(one), 1);
    assert.equal(await unreadTotal(two), 0);
    // Answering read the thread for the analyst; another analyst still has the question unread.
    assert.equal(await unreadTotal(ana), 0);
    assert.equal(await unreadTotal(rita), 1);
    const read = await rita.post(`/api/messages/${asked}/read`);
    assert.equal(read.statusCode, 200, read.body);
    assert.deepEqual(read.json().unread_total, 0);
    const mine = (await one.get('/api/claims/C-1/messages')).json();
    assert.deepEqual(
      mine.items.map((m: { author_side: string; unread: boolean }) => [m.author_side, m.unread]),
      [
        ['partner', false],
        ['desk', true],
      ],
    );
    assert.deepEqual(
      mine.items[1].emails.map((e: { to: string[] }) => e.to),
      [['claims@one.test']],
    );
    assert.equal((await one.post(`/api/messages/${answered}/read`)).json().unread, 0);
    assert.equal(await unreadTotal(one), 0);
  });

  test('both e-mails go through SMTP, to the analyst and to the claims contact, with the documents', async () => {
    const result = await deliver();
    assert.equal(result.sent, 2);
    const toAnalyst = smtp.received.find((r) => r.to.includes('ana@corp.test'));
    const toPartner = smtp.received.find((r) => r.to.includes('claims@one.test'));
    assert.ok(toAnalyst && toPartner);
    assert.equal(header(toAnalyst.raw, 'Subject'), 'Claim C-1 of Northwind (P-1): a message from pat');
    assert.equal(header(toPartner.raw, 'Subject'), 'Claim C-1: a message from ana');
    assert.match(toAnalyst.raw, /filename=invoice\.txt/);
    assert.match(toPartner.raw, /filename=policy\.txt/);
  });

  test('another partner’s C-1 is its own conversation; the analysts are e-mailed when the account has none', async () => {
    const res = await two.post('/api/claims/C-1/messages', { body: 'When will C-1 be paid?' });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().message.account_id, 'P-2');
    const conv = (await ana.get('/api/claims/C-1/messages?account_id=P-2')).json();
    assert.deepEqual(
      conv.items[0].emails.map((e: { to: string[] }) => e.to),
      [['ana@corp.test', 'rita@corp.test']],
    );
    // Partner one: P-2's C-1 does not exist, its own has only its own two messages.
    const other = await one.get('/api/claims/C-1/messages?account_id=P-2');
    assert.equal(other.statusCode, 404);
    assert.equal(other.json().error.message, 'The claim C-1 does not exist.');
    assert.equal((await one.get('/api/claims/C-1/messages')).json().items.length, 2);
    assert.equal((await one.post(`/api/messages/${res.json().message.message_id}/read`)).statusCode, 404);
    assert.equal((await one.post('/api/claims/C-1/messages?account_id=P-2', { body: 'x' })).statusCode, 404);
    assert.equal((await one.get('/api/accounts/P-2/messages')).statusCode, 404);
    const threads = (await one.get('/api/messages/threads')).json().items;
    assert.ok(threads.every((x: { account_id: string }) => x.account_id === 'P-1'));
    // A document of another account cannot be attached.
    const doc = await two.upload(
      '/api/documents',
      { entity_type: 'account', entity_id: 'P-2' },
      { name: 'x.txt', content: 'two\n' },
    );
    const cross = await ana.post('/api/claims/C-1/messages?account_id=P-1', {
      body: 'wrong file',
      attachments: [doc.json().document.document_id],
    });
    assert.equal(cross.statusCode, 400, cross.body);
    assert.equal(cross.json().error.issues[0].field, 'attachments.0');
  });

  test('a retried post posts once; a key reused for another text is refused; roles', async () => {
    const post = (body: string) =>
      one.request('POST', '/api/accounts/P-1/messages', {
        payload: { body },
        headers: { 'idempotency-key': 'retry-1' },
      });
    const first = await post('Can we talk about our Q3 claims?');
    assert.equal(first.statusCode, 201, first.body);
    const again = await post('Can we talk about our Q3 claims?');
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(again.json().message.message_id, first.json().message.message_id);
    assert.equal(again.json().created, false);
    assert.equal((await post('Something else')).statusCode, 409);
    const conv = (await ana.get('/api/accounts/P-1/messages')).json();
    assert.equal(conv.items.length, 1);
    assert.equal(conv.claim_id, null);
    assert.equal(conv.items[0].emails.length, 1);
    const byClientId = (id: string) =>
      ana.post('/api/accounts/P-1/messages', { body: 'Yes — Tuesday?', client_message_id: id });
    assert.equal((await byClientId('c-1')).statusCode, 201);
    assert.equal((await byClientId('c-1')).statusCode, 200);
    // Two sends of one message at the same moment post it once.
    const race = await Promise.all(
      [1, 2].map(() =>
        one.post('/api/accounts/P-1/messages', { body: 'Double click', client_message_id: 'race-1' }),
      ),
    );
    assert.deepEqual(race.map((r) => r.statusCode).sort(), [200, 201]);
    assert.equal(race[0]!.json().message.message_id, race[1]!.json().message.message_id);
    assert.equal((await approver.post('/api/accounts/P-1/messages', { body: 'hi' })).statusCode, 403);
    assert.equal((await approver.get('/api/messages/threads')).statusCode, 403);
    assert.equal(
      (await collector.post('/api/accounts/P-1/messages', { body: 'Tuesday works.' })).statusCode,
      201,
    );
    assert.equal((await one.post('/api/accounts/P-1/messages', { body: '  ' })).statusCode, 400);
  });

  test('recommendations: from the recurring errors, sent, acknowledged by the partner, resolved by the desk', async () => {
    const before = (await ana.get('/api/recommendations?account_id=P-1')).json();
    assert.deepEqual(before.items, []);
    const late = before.recurring_errors.find(
      (e: { rule_code: string }) => e.rule_code === 'LATE_SUBMISSION',
    );
    assert.equal(late.program_id, 'PRG');
    assert.equal(late.claims, 2);
    assert.equal(late.average_days_late, 12);
    assert.equal(
      late.recommendation,
      'Your claims for program PRG are late on average 12 days; submit within the 90-day window.',
    );

    assert.equal(
      (await collector.post('/api/recommendations', { account_id: 'P-1', rule_code: 'LATE_SUBMISSION' }))
        .statusCode,
      403,
    );
    const sent = await ana.post('/api/recommendations', {
      account_id: 'P-1',
      rule_code: 'LATE_SUBMISSION',
      program_id: 'PRG',
    });
    assert.equal(sent.statusCode, 201, sent.body);
    const rec = sent.json().recommendation;
    assert.equal(rec.status, 'sent');
    assert.equal(rec.text, late.recommendation);
    assert.equal(rec.claim_id, null);
    assert.equal(sent.json().message.kind, 'recommendation');
    const dup = await ana.post('/api/recommendations', {
      account_id: 'P-1',
      rule_code: 'LATE_SUBMISSION',
      program_id: 'PRG',
    });
    assert.equal(dup.statusCode, 409, dup.body);

    // The partner sees it on its general conversation, unread, and acknowledges it.
    const conv = (await one.get('/api/accounts/P-1/messages')).json();
    const m = conv.items.find((x: { kind: string }) => x.kind === 'recommendation');
    assert.equal(m.unread, true);
    assert.equal(m.recommendation.status, 'sent');
    assert.equal(
      (await ana.post(`/api/recommendations/${rec.recommendation_id}/acknowledge`)).statusCode,
      403,
    );
    assert.equal(
      (await two.post(`/api/recommendations/${rec.recommendation_id}/acknowledge`)).statusCode,
      404,
    );
    const ack = await one.post(`/api/recommendations/${rec.recommendation_id}/acknowledge`);
    assert.equal(ack.statusCode, 200, ack.body);
    assert.equal(ack.json().recommendation.status, 'acknowledged');
    assert.equal(ack.json().recommendation.acknowledged_by, 'pat');
    assert.equal(await unreadTotal(one), 0, 'acknowledging it read the conversation');
    assert.equal((await one.post(`/api/recommendations/${rec.recommendation_id}/resolve`)).statusCode, 403);
    const resolved = await ana.post(`/api/recommendations/${rec.recommendation_id}/resolve`);
    assert.equal(resolved.json().recommendation.status, 'resolved');
    // Once resolved, the same advice can be sent again.
    const next = await ana.post('/api/recommendations', {
      account_id: 'P-1',
      rule_code: 'LATE_SUBMISSION',
      program_id: 'PRG',
      text: 'Still late: please claim weekly.',
    });
    assert.equal(next.statusCode, 201, next.body);
    const mineList = (await one.get('/api/recommendations')).json();
    assert.deepEqual(
      mineList.items.map((r: { status: string }) => r.status),
      ['sent', 'resolved'],
    );
    assert.equal(mineList.recurring_errors, null);
    assert.equal((await two.get('/api/recommendations')).json().items.length, 0);
    const audit = (await ana.get('/api/audit/account/P-1'))
      .json()
      .items.map((e: { action: string }) => e.action);
    for (const a of ['recommendation_sent', 'recommendation_acknowledged', 'recommendation_resolved'])
      assert.ok(audit.includes(a), a);

    await deliver();
    const mail = smtp.received.find(
      (r) => header(r.raw, 'Subject') === 'Recommendation on your claims: LATE_SUBMISSION (program PRG)',
    );
    assert.ok(mail);
    assert.deepEqual(mail.to, ['claims@one.test']);
  });
});
