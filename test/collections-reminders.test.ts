import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';
import { pdfText } from './helpers/pdf.ts';

/**
 * Reminders and invoice copies through real SMTP: an smtp-server peer receives what a collector sends from
 * an item (a reminder about it, or a copy, the copy's PDF attached) and from the account (a reminder of
 * everything past due, the statement attached); both timelines show the e-mail. Dates are pinned with
 * CLEARHOUSE_TODAY = 2026-03-12.
 *
 * R1: INV-R1 1200.00 (tax 191.60) dated 2026-01-01, due 2026-01-31, 400.00 paid on 2026-02-10 → 800.00 open,
 * 40 days past due; INV-R2 300.00 due 2026-03-01, 11 days past due; INV-R3 due 2026-04-10, not due;
 * CM-R1 a credit memo; INV-R4 paid in full.
 */
interface Received {
  to: string[];
  raw: string;
}

let t: TestApp;
let server: SMTPServer;
let collector: Browser;
const received: Received[] = [];
const saved = {
  today: process.env.CLEARHOUSE_TODAY,
  smtp: process.env.SMTP_URL,
  home: process.env.CLEARHOUSE_HOME,
};

function attachment(raw: string, contentType: string): { fileName: string; content: Buffer } | undefined {
  for (const part of raw.split(/\r?\n--[^\r\n]+\r?\n/)) {
    const [head = '', ...body] = part.split(/\r?\n\r?\n/);
    if (!head.toLowerCase().includes(`content-type: ${contentType}`)) continue;
    const fileName = /filename="?([^";\r\n]+)"?/.exec(head)?.[1] ?? '';
    const data = body.join('\n\n').replace(/\r?\n--[\s\S]*$/, '');
    return { fileName, content: Buffer.from(data.replace(/\s+/g, ''), 'base64') };
  }
  return undefined;
}

/** The text part of a message, quoted-printable decoded. */
function text(raw: string): string {
  const part = raw.split(/\r?\n--[^\r\n]+\r?\n/).find((p) => /content-type: text\/plain/i.test(p)) ?? raw;
  const body = part
    .split(/\r?\n\r?\n/)
    .slice(1)
    .join('\n\n');
  return body
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)))
    .replace(/\r\n/g, '\n');
}

before(async () => {
  process.env.CLEARHOUSE_TODAY = '2026-03-12';
  t = await createTestApp();
  process.env.CLEARHOUSE_HOME = t.home;
  server = new SMTPServer({
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  process.env.SMTP_URL = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;

  await addAccount(t.db, 'R1', { name: 'Rhine Office Supplies', billing_email: 'ap@rhine.test' });
  await addAccount(t.db, 'R2', { name: 'No Contact KG' });
  await t.db.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount, tax_amount,
       reference, po_number) values
       ('R1', 'INV-R1', 'invoice', '2026-01-01', '2026-01-31', 'EUR', '1200.00', '191.60', 'R-77', 'PO-4411'),
       ('R1', 'INV-R2', 'invoice', '2026-01-30', '2026-03-01', 'EUR', '300.00', null, null, null),
       ('R1', 'INV-R3', 'invoice', '2026-03-11', '2026-04-10', 'EUR', '50.00', null, null, null),
       ('R1', 'CM-R1', 'credit_memo', '2026-02-15', '2026-02-15', 'EUR', '25.00', null, 'returns', null),
       ('R1', 'INV-R4', 'invoice', '2026-01-05', '2026-02-04', 'EUR', '90.00', null, null, null),
       ('R2', 'INV-R20', 'invoice', '2026-01-05', '2026-02-04', 'EUR', '10.00', null, null, null)`,
  );
  await t.db.query(
    `insert into ar_payments (account_id, payment_id, received_date, amount, currency) values
       ('R1', 'PAY-R1', '2026-02-10', '490.00', 'EUR')`,
  );
  await t.db.query(
    `insert into ar_applications (account_id, payment_id, document_id, applied_date, amount) values
       ('R1', 'PAY-R1', 'INV-R1', '2026-02-10', '400.00'),
       ('R1', 'PAY-R1', 'INV-R4', '2026-02-10', '90.00')`,
  );
  const c = await addUser(t.db, 'cole@corp.test', ['collector']);
  collector = await Browser.signedIn(t.app, c.email, c.password);
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.close();
  for (const [k, v] of [
    ['CLEARHOUSE_TODAY', saved.today],
    ['SMTP_URL', saved.smtp],
    ['CLEARHOUSE_HOME', saved.home],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('reminders and invoice copies', () => {
  test('the invoice copy reads correctly: account, dates, net, tax and amount, what was applied, what is open', async () => {
    const res = await collector.get('/api/ar/items/INV-R1/copy.pdf');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.match(String(res.headers['content-disposition']), /copy-INV-R1\.pdf/);
    const shown = pdfText(res.rawPayload);
    for (const expected of [
      'Invoice INV-R1',
      'not a new invoice',
      'Rhine Office Supplies',
      'ap@rhine.test',
      '2026-01-31',
      'PO-4411',
      '1,008.40 EUR', // net
      '191.60 EUR',
      '1,200.00 EUR',
      'PAY-R1',
      '400.00 EUR',
      'Open on 2026-03-12 (40 days past due)',
      '800.00 EUR',
      'Page 1 of 1',
    ])
      assert.ok(shown.includes(expected), `${expected} in:\n${shown}`);
    // As of before the payment, nothing was applied.
    const earlier = pdfText(
      (await collector.get('/api/ar/items/INV-R1/copy.pdf?as_of=2026-02-01')).rawPayload,
    );
    assert.ok(earlier.includes('Nothing applied'), earlier);
    // A payment has no copy; an unknown document is a 404.
    assert.equal((await collector.get('/api/ar/items/PAY-R1/copy.pdf')).statusCode, 400);
    assert.equal((await collector.get('/api/ar/items/NOPE/copy.pdf')).statusCode, 404);
  });

  test('a reminder from an item reaches the billing contact through SMTP with the copy attached', async () => {
    const before = received.length;
    const res = await collector.request('POST', '/api/ar/items/INV-R1/emails', {
      headers: { 'idempotency-key': 'remind-inv-r1' },
      payload: { kind: 'reminder', note: 'We spoke on Tuesday; you said it was approved.' },
    });
    assert.equal(res.statusCode, 201, res.body);
    const email = res.json().email;
    assert.equal(email.status, 'sent');
    assert.equal(email.transport, 'smtp');
    assert.equal(email.kind, 'reminder');
    assert.equal(email.document_id, 'INV-R1');
    assert.equal(received.length, before + 1);
    const mail = received.at(-1)!;
    assert.deepEqual(mail.to, ['ap@rhine.test']);
    assert.match(mail.raw, /Subject: Payment reminder: invoice INV-R1, EUR 800\.00 open\r\n/);
    const body = text(mail.raw);
    assert.match(body, /^Dear Rhine Office Supplies,/);
    assert.match(
      body,
      /invoice INV-R1 of 2026-01-01 \(your PO PO-4411\) for EUR 1,200\.00, due on 2026-01-31, with EUR 800\.00 still open, 40 days past due/,
    );
    assert.match(body, /We spoke on Tuesday; you said it was approved\./);
    const pdf = attachment(mail.raw, 'application/pdf');
    assert.ok(pdf, 'the copy is attached');
    assert.equal(pdf.fileName, 'copy-INV-R1.pdf');
    assert.ok(pdfText(pdf.content).includes('800.00 EUR'));

    // The same request again (a double click, a retried call) sends nothing more.
    const again = await collector.request('POST', '/api/ar/items/INV-R1/emails', {
      headers: { 'idempotency-key': 'remind-inv-r1' },
      payload: { kind: 'reminder' },
    });
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(again.json().email.email_id, email.email_id);
    assert.equal(received.length, before + 1);

    // In the item's timeline and the account's; the PDF is kept with the item.
    for (const url of ['/api/accounts/R1/timeline?document_id=INV-R1', '/api/accounts/R1/timeline']) {
      const entries = (await collector.get(url)).json().entries;
      assert.ok(
        entries.some(
          (e: { source: string; id: string; status: string }) =>
            e.source === 'email' && e.id === email.email_id && e.status === 'sent',
        ),
        `${url}: ${JSON.stringify(entries)}`,
      );
    }
    const others = (await collector.get('/api/accounts/R1/timeline?document_id=INV-R2')).json().entries;
    assert.ok(!others.some((e: { id: string }) => e.id === email.email_id), 'not in another item’s timeline');
    const docs = (await collector.get('/api/documents?entity_type=ar_document&entity_id=INV-R1')).json();
    assert.ok(
      (docs.items ?? docs.documents).some(
        (d: { file_name: string; document_type: string }) =>
          d.file_name === 'copy-INV-R1.pdf' && d.document_type === 'invoice_copy',
      ),
      JSON.stringify(docs),
    );
  });

  test('an invoice copy on request goes to the recipients given; refusals say why', async () => {
    const res = await collector.post('/api/ar/items/CM-R1/emails', {
      kind: 'invoice_copy',
      to: ['Controller@Rhine.test'],
      cc: ['cole@corp.test'],
    });
    assert.equal(res.statusCode, 201, res.body);
    const mail = received.at(-1)!;
    assert.deepEqual(mail.to.sort(), ['cole@corp.test', 'controller@rhine.test']);
    assert.match(mail.raw, /Subject: Copy of credit memo CM-R1/);
    assert.equal(attachment(mail.raw, 'application/pdf')?.fileName, 'copy-CM-R1.pdf');

    const cases: [string, string, unknown, number, string][] = [
      ['a reminder about a credit memo', 'CM-R1', { kind: 'reminder' }, 400, 'kind'],
      ['a reminder about an invoice paid in full', 'INV-R4', { kind: 'reminder' }, 400, 'kind'],
      ['a copy of a payment', 'PAY-R1', { kind: 'invoice_copy' }, 400, 'document_id'],
      ['a malformed address', 'INV-R1', { kind: 'invoice_copy', to: ['not an address'] }, 400, 'to.0'],
      ['an account without a billing contact', 'INV-R20', { kind: 'reminder' }, 400, 'to'],
    ];
    for (const [what, id, body, code, field] of cases) {
      const r = await collector.post(`/api/ar/items/${id}/emails`, body);
      assert.equal(r.statusCode, code, `${what}: ${r.body}`);
      assert.equal(r.json().error.issues?.[0]?.field, field, `${what}: ${r.body}`);
    }
    assert.equal(
      (await collector.post('/api/ar/items/NOPE/emails', { kind: 'invoice_copy' })).statusCode,
      404,
    );
  });

  test('a reminder from the account lists what is past due less the credits owed, with the statement attached', async () => {
    const res = await collector.post('/api/accounts/R1/reminders', {});
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().email.status, 'sent');
    const mail = received.at(-1)!;
    // Netted: 1,100.00 past due less CM-R1's 25.00 in the customer's favour.
    assert.match(mail.raw, /Subject: Payment reminder: EUR 1,075\.00 past due on account R1/);
    const body = text(mail.raw);
    assert.match(body, /INV-R1\s+due 2026-01-31, 40 days past due\s+EUR 800\.00/);
    assert.match(body, /INV-R2\s+due 2026-03-01, 11 days past due\s+EUR 300\.00/);
    assert.match(body, /Past due\s+EUR 1,100\.00/);
    assert.match(body, /CM-R1\s+credit memo of 2026-02-15\s+EUR -25\.00/);
    assert.match(body, /To pay \(past due after your credits\)\s+EUR 1,075\.00/);
    assert.ok(!body.includes('INV-R3'), 'not yet due');
    assert.ok(!body.includes('INV-R4'), 'paid');
    const pdf = attachment(mail.raw, 'application/pdf');
    assert.equal(pdf?.fileName, 'statement-R1-2026-03-12.pdf');
    assert.ok(pdfText(pdf!.content).includes('Statement of account'));
    // Nothing past due, or nobody to send to: refused with the field.
    assert.equal((await collector.post('/api/accounts/R2/reminders', {})).json().error.issues[0].field, 'to');
    assert.equal((await collector.post('/api/accounts/NOPE/reminders', {})).statusCode, 404);
  });
});
