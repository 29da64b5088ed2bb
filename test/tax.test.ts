import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { addDays, today } from '../src/core/dates.ts';
import { systemActor } from '../src/db/db.ts';
import { sendQueued } from '../src/modules/correspondence/index.ts';
import { runImport } from '../src/modules/imports/index.ts';
import {
  attachCertificateFiles,
  runCertificateReminders,
  taxExceptionsCsv,
} from '../src/modules/tax/index.ts';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';

/**
 * Tax-exempt certificates end to end through the API: requested by e-mail (a real SMTP peer) with the portal
 * link, uploaded by the partner, validated or rejected by the tax team (never by the uploader), reminded
 * 60 and 30 days before expiry and on the day (each once), a collector's task once expired; invoices that
 * name a jurisdiction checked against them into tax_exceptions.csv exactly as FORMATS.md writes it.
 */
interface Received {
  to: string[];
  raw: string;
}

let t: TestApp;
let smtp: SMTPServer;
const received: Received[] = [];
let admin: Browser;
let tina: Browser;
let tom: Browser;
let collector: Browser;
let partner: Browser;
let otherPartner: Browser;
const day = today();

const header = (raw: string, name: string) =>
  new RegExp(`^${name}: (.*(?:\\r?\\n[ \\t].*)*)`, 'mi').exec(raw)?.[1]?.replace(/\r?\n[ \t]+/g, ' ') ?? '';
const body = (raw: string) =>
  Buffer.from(
    raw
      .slice(raw.indexOf('\r\n\r\n') + 4)
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
    'latin1',
  ).toString('utf8');

const deliver = async () => {
  await sendQueued(t.db.as(systemActor('test')), { store: t.store, home: t.home });
};

async function load(name: string, content: string) {
  const file = path.join(t.home, name);
  fs.writeFileSync(file, content);
  return runImport(t.db, { path: file, source: 'cli' });
}

const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

before(async () => {
  t = await createTestApp();
  process.env.CLEARHOUSE_HOME = t.home;
  process.env.CLEARHOUSE_PUBLIC_URL = 'https://clearhouse.example/';
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

  await addAccount(t.db, 'C-1', {
    name: 'Lone Star Office',
    country: 'US',
    currency: 'USD',
    billing_email: 'billing@one.test',
    collector: 'coll@corp.test',
  });
  await addAccount(t.db, 'C-2', { name: 'Berlin Druck', billing_email: 'billing@two.test' });
  await addAccount(t.db, 'C-3', { name: 'No Contact Inc', country: 'US', currency: 'USD' });
  const a = await addUser(t.db, 'admin@corp.test', ['administrator']);
  const ti = await addUser(t.db, 'tina@corp.test', ['tax']);
  const to = await addUser(t.db, 'tom@corp.test', ['tax']);
  const co = await addUser(t.db, 'coll@corp.test', ['collector']);
  const p1 = await addUser(t.db, 'pat@one.test', ['partner'], 'C-1');
  const p2 = await addUser(t.db, 'paula@two.test', ['partner'], 'C-2');
  admin = await Browser.signedIn(t.app, a.email, a.password);
  tina = await Browser.signedIn(t.app, ti.email, ti.password);
  tom = await Browser.signedIn(t.app, to.email, to.password);
  collector = await Browser.signedIn(t.app, co.email, co.password);
  partner = await Browser.signedIn(t.app, p1.email, p1.password);
  otherPartner = await Browser.signedIn(t.app, p2.email, p2.password);
});

after(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await t?.close();
  delete process.env.SMTP_URL;
  delete process.env.CLEARHOUSE_PUBLIC_URL;
});

describe('the certificate lifecycle', () => {
  let requested = '';

  test('a collector asks the billing contact for it: an e-mail with the portal link, once', async () => {
    const res = await collector.post('/api/tax-certificates/requests', {
      account_id: 'C-1',
      jurisdiction: 'US-TX',
      note: 'We ship to your Austin store.',
    });
    assert.equal(res.statusCode, 201, res.body);
    const r = res.json();
    requested = r.certificate.certificate_id;
    assert.match(requested, /^TC-\d{6}$/);
    assert.equal(r.certificate.status, 'requested');
    assert.equal(r.certificate.requested_on, day);
    assert.equal(r.certificate.certificate_number, null);

    const again = await tina.post('/api/tax-certificates/requests', {
      account_id: 'C-1',
      jurisdiction: 'US-TX',
    });
    assert.equal(again.statusCode, 409, again.body);
    assert.match(again.json().error.message, new RegExp(requested));

    await deliver();
    const mail = received.find((m) => m.to.includes('billing@one.test'))!;
    assert.ok(mail, 'the billing contact got the request');
    assert.equal(header(mail.raw, 'Subject'), 'Your tax-exempt certificate for US-TX, please');
    const text = body(mail.raw);
    assert.match(text, /Dear Lone Star Office,/);
    assert.match(text, /We ship to your Austin store\./);
    assert.ok(text.includes(`https://clearhouse.example/my-tax-certificates?certificate=${requested}`), text);

    const none = await tina.post('/api/tax-certificates/requests', {
      account_id: 'C-3',
      jurisdiction: 'US-CA',
    });
    assert.equal(none.statusCode, 400, none.body);
    assert.match(none.json().error.message, /no billing contact/);
    const bad = await tina.post('/api/tax-certificates/requests', {
      account_id: 'C-1',
      jurisdiction: 'us-tx',
    });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.equal(
      (await partner.post('/api/tax-certificates/requests', { account_id: 'C-1', jurisdiction: 'US' }))
        .statusCode,
      403,
    );
  });

  test('the partner uploads it in the portal; another partner neither sees nor reaches it', async () => {
    const mine = (await partner.get('/api/tax-certificates')).json();
    assert.deepEqual(
      mine.items.map((c: { certificate_id: string }) => c.certificate_id),
      [requested],
    );
    assert.equal((await otherPartner.get('/api/tax-certificates')).json().items.length, 0);
    assert.equal((await otherPartner.get(`/api/tax-certificates/${requested}`)).statusCode, 404);
    const stranger = await otherPartner.upload(
      `/api/tax-certificates/${requested}/upload`,
      { certificate_number: 'X', effective_date: '2026-01-01' },
      { name: 'c.pdf', content: pdf },
    );
    assert.equal(stranger.statusCode, 404, stranger.body);

    const missingDate = await partner.upload(
      `/api/tax-certificates/${requested}/upload`,
      { certificate_number: 'TX-100' },
      { name: 'c.pdf', content: pdf },
    );
    assert.equal(missingDate.statusCode, 400, missingDate.body);

    const res = await partner.upload(
      `/api/tax-certificates/${requested}/upload`,
      {
        certificate_number: 'TX-100',
        exempt_reason: 'resale',
        effective_date: '2026-01-01',
        expiry_date: '2026-06-30',
      },
      { name: 'texas-01-339.pdf', content: pdf },
    );
    assert.equal(res.statusCode, 200, res.body);
    const c = res.json();
    assert.equal(c.status, 'received');
    assert.equal(c.received_by, 'pat');
    assert.equal(c.file_name, 'texas-01-339.pdf');
    assert.equal(c.may.validate, false, 'a partner never validates');
    const file = await partner.get(`/api/documents/${c.document_id}/content`);
    assert.equal(file.statusCode, 200);
    assert.equal((await otherPartner.get(`/api/documents/${c.document_id}/content`)).statusCode, 404);

    const twice = await partner.upload(
      `/api/tax-certificates/${requested}/upload`,
      { certificate_number: 'TX-100', effective_date: '2026-01-01' },
      { name: 'again.pdf', content: pdf },
    );
    assert.equal(twice.statusCode, 409, twice.body);
  });

  test('the tax team works its queue: validates it, and the audit trail tells the story', async () => {
    const queue = (await tina.get('/api/tax-certificates?status=queue')).json();
    assert.deepEqual(
      queue.items.map((c: { certificate_id: string }) => c.certificate_id),
      [requested],
    );
    assert.equal(queue.counts.received, 1);
    assert.equal((await partner.post(`/api/tax-certificates/${requested}/validate`, {})).statusCode, 403);
    assert.equal((await collector.post(`/api/tax-certificates/${requested}/validate`, {})).statusCode, 403);
    const res = await tina.post(`/api/tax-certificates/${requested}/validate`, {});
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().status, 'validated');
    assert.equal(res.json().decided_by, 'tina');
    assert.equal((await tom.post(`/api/tax-certificates/${requested}/validate`, {})).statusCode, 409);
    const audit = (await admin.get(`/api/audit/tax_certificate/${requested}`)).json();
    const actions = (audit.items ?? audit).map((e: { action: string }) => e.action);
    for (const a of ['requested', 'document_attached', 'received', 'validated'])
      assert.ok(actions.includes(a), `${a} in ${actions}`);
  });

  test('nobody validates what they uploaded; a rejection tells the customer why and a new upload answers it', async () => {
    const up = await tina.upload(
      '/api/tax-certificates',
      { account_id: 'C-2', jurisdiction: 'DE', certificate_number: 'DE-7', effective_date: '2026-01-01' },
      { name: 'de.pdf', content: pdf },
    );
    assert.equal(up.statusCode, 201, up.body);
    const id = up.json().certificate_id;
    const own = await tina.post(`/api/tax-certificates/${id}/validate`, {});
    assert.equal(own.statusCode, 403, own.body);
    assert.match(own.json().error.message, /separation of duties/);

    received.length = 0;
    const rej = await tom.post(`/api/tax-certificates/${id}/reject`, {
      reason: 'The certificate is not signed.',
    });
    assert.equal(rej.statusCode, 200, rej.body);
    assert.equal(rej.json().status, 'rejected');
    assert.equal(rej.json().rejection_reason, 'The certificate is not signed.');
    assert.equal((await tom.post(`/api/tax-certificates/${id}/reject`, { reason: '' })).statusCode, 400);
    await deliver();
    const mail = received.find((m) => m.to.includes('billing@two.test'))!;
    assert.match(body(mail.raw), /The certificate is not signed\./);
    assert.match(body(mail.raw), new RegExp(`my-tax-certificates\\?certificate=${id}`));

    const again = await otherPartner.upload(
      `/api/tax-certificates/${id}/upload`,
      { certificate_number: 'DE-7', effective_date: '2026-01-01', expiry_date: '' },
      { name: 'de-signed.pdf', content: pdf },
    );
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(again.json().status, 'received');
    assert.equal(again.json().rejection_reason, null);
    assert.equal(again.json().expiry_date, null);

    const own2 = await otherPartner.upload(
      '/api/tax-certificates',
      {
        jurisdiction: 'AT',
        certificate_number: 'AT-1',
        effective_date: '2026-02-01',
        expiry_date: '2026-01-01',
      },
      { name: 'at.pdf', content: pdf },
    );
    assert.equal(own2.statusCode, 400, own2.body);
    // Uploading for a jurisdiction asked for answers the request instead of leaving it open.
    const asked = (
      await tina.post('/api/tax-certificates/requests', { account_id: 'C-2', jurisdiction: 'NL' })
    ).json().certificate.certificate_id;
    const answer = await otherPartner.upload(
      '/api/tax-certificates',
      { jurisdiction: 'NL', certificate_number: 'NL-1', effective_date: '2026-01-01' },
      { name: 'nl.pdf', content: pdf },
    );
    assert.equal(answer.statusCode, 201, answer.body);
    assert.equal(answer.json().certificate_id, asked);
    assert.equal(answer.json().status, 'received');

    const foreign = await otherPartner.upload(
      '/api/tax-certificates',
      { account_id: 'C-1', jurisdiction: 'AT', certificate_number: 'AT-1', effective_date: '2026-02-01' },
      { name: 'at.pdf', content: pdf },
    );
    assert.equal(foreign.statusCode, 404, foreign.body);
  });
});

describe('expiry', () => {
  const expiry = addDays(day, 90);
  let cert = '';
  let late = '';

  before(async () => {
    const r = await load(
      'tax_certificates.csv',
      `account_id,jurisdiction,certificate_number,exempt_reason,effective_date,expiry_date,status,file_name
C-1,US-CA,CA-55,resale,2026-01-01,${expiry},validated,ca-55.pdf
C-1,US-NY,NY-9,resale,2026-01-01,${addDays(day, 20)},validated,
C-2,FR,FR-1,,2026-01-01,,received,`,
    );
    assert.equal(r.status, 'loaded', JSON.stringify(r.errors));
    fs.writeFileSync(path.join(t.home, 'ca-55.pdf'), pdf);
    const files = await attachCertificateFiles(t.db, t.store, t.home);
    assert.deepEqual(files, { attached: 1, missing: [] });
    const { rows } = await t.db.query<{ certificate_id: string; certificate_number: string }>(
      `select certificate_id, certificate_number from tax_certificates where certificate_number in ('CA-55', 'NY-9')`,
    );
    cert = rows.find((x) => x.certificate_number === 'CA-55')!.certificate_id;
    late = rows.find((x) => x.certificate_number === 'NY-9')!.certificate_id;
  });

  const run = (asOf: string) =>
    runCertificateReminders(t.db.as(systemActor('job:tax.certificates')), { asOf });
  const stagesOf = (r: Awaited<ReturnType<typeof run>>, id: string) =>
    r.reminders.filter((x) => x.certificate_id === id).map((x) => x.days_before);

  test('reminders 60 and 30 days before and on the day, each once, to the billing contact and the tax team', async () => {
    received.length = 0;
    assert.deepEqual(stagesOf(await run(addDays(expiry, -61)), cert), []);
    const first = await run(addDays(expiry, -60));
    assert.deepEqual(stagesOf(first, cert), [60]);
    assert.equal(first.reminders.find((x) => x.certificate_id === cert)!.email_ids.length, 2);
    assert.deepEqual(stagesOf(await run(addDays(expiry, -60)), cert), [], 'the same day again sends nothing');
    assert.deepEqual(stagesOf(await run(addDays(expiry, -45)), cert), []);
    assert.deepEqual(stagesOf(await run(addDays(expiry, -30)), cert), [30]);
    assert.deepEqual(stagesOf(await run(addDays(expiry, -29)), cert), []);
    assert.deepEqual(stagesOf(await run(addDays(expiry, -1)), cert), []);
    assert.deepEqual(stagesOf(await run(expiry), cert), [0]);
    assert.deepEqual(stagesOf(await run(expiry), cert), []);
    await deliver();
    const mine = received.filter(
      (m) => header(m.raw, 'Subject').includes('CA-55') || body(m.raw).includes('CA-55'),
    );
    const subjects = mine.map((m) => `${m.to.join(',')}|${header(m.raw, 'Subject')}`).sort();
    assert.deepEqual(subjects, [
      `billing@one.test|Your tax-exempt certificate for US-CA expires on ${expiry}`,
      `billing@one.test|Your tax-exempt certificate for US-CA expires on ${expiry}`,
      'billing@one.test|Your tax-exempt certificate for US-CA expires today',
      `tina@corp.test,tom@corp.test|Tax-exempt certificate CA-55 of Lone Star Office (C-1) for US-CA expires ${expiry}`,
      `tina@corp.test,tom@corp.test|Tax-exempt certificate CA-55 of Lone Star Office (C-1) for US-CA expires ${expiry}`,
      'tina@corp.test,tom@corp.test|Tax-exempt certificate CA-55 of Lone Star Office (C-1) for US-CA expires today',
    ]);
    // E-mails are delivered several at a time, so in no particular order.
    assert.ok(
      mine.some((m) => m.to.includes('billing@one.test') && /in 60 days/.test(body(m.raw))),
      'the 60-day reminder says so',
    );
    const c = (await tina.get(`/api/tax-certificates/${cert}`)).json();
    assert.deepEqual(
      c.reminders.map((r: { days_before: number }) => r.days_before),
      [60, 30, 0],
    );
    // The partner sees the reminders sent to it, never the tax team's.
    const emails = (await partner.get('/api/emails?limit=100')).json();
    assert.ok(emails.items.every((e: { account_id: string }) => e.account_id === 'C-1'));
  });

  test('loading the file again without a status leaves the tax team’s decisions as they are', async () => {
    const r = await load(
      'tax_certificates.csv',
      `account_id,jurisdiction,certificate_number,exempt_reason,effective_date,expiry_date
C-1,US-CA,CA-55,resale and manufacturing,2026-01-01,${expiry}
C-1,US-WA,WA-1,,2026-01-01,`,
    );
    assert.equal(r.status, 'loaded', JSON.stringify(r.errors));
    const { rows } = await t.db.query(
      `select certificate_number, status, exempt_reason from tax_certificates
       where certificate_number in ('CA-55', 'WA-1') order by certificate_number`,
    );
    assert.deepEqual(rows, [
      { certificate_number: 'CA-55', status: 'validated', exempt_reason: 'resale and manufacturing' },
      { certificate_number: 'WA-1', status: 'received', exempt_reason: null },
    ]);
    const undated = await load(
      'tax_certificates.csv',
      'account_id,jurisdiction,certificate_number,effective_date\nC-1,US-CA,CA-55,',
    );
    assert.equal(undated.status, 'rejected');
    assert.match(undated.errors[0]!.reason, /validated certificate needs the date/);
  });

  test('a run that missed days sends only the latest stage due', async () => {
    // NY-9 expires in 20 days and was never reminded: the 30-day reminder, not the 60.
    assert.deepEqual(stagesOf(await run(day), late), [30]);
  });

  test('the day after it expires, a task asks the collector to request a new one, once', async () => {
    const r = await run(addDays(expiry, 1));
    const task = r.tasks.find((x) => x.certificate_id === cert);
    assert.ok(task, JSON.stringify(r.tasks));
    assert.deepEqual(stagesOf(r, cert), []);
    assert.deepEqual(
      (await run(addDays(expiry, 2))).tasks.filter((x) => x.certificate_id === cert),
      [],
    );
    const tasks = (await collector.get('/api/tasks?for=me')).json();
    const mine = tasks.items.find((x: { task_id: string }) => x.task_id === task.task_id);
    assert.ok(mine, JSON.stringify(tasks.items));
    assert.equal(mine.kind, 'renew_tax_certificate');
    assert.equal(mine.assignee, 'coll@corp.test');
    assert.equal(mine.queue, 'collections');
    assert.match(mine.title, /Request a new tax-exempt certificate: Lone Star Office \(US-CA\)/);
    assert.match(mine.body, new RegExp(`CA-55 for US-CA expired on ${expiry}`));
    const c = (await tina.get(`/api/tax-certificates/${cert}`)).json();
    assert.equal(c.expiry_task_id, task.task_id);
  });
});

describe('the invoice check', () => {
  const header =
    'document_id,account_id,type,document_date,due_date,currency,amount,tax_amount,reference,po_number';

  test('invoices.csv loads with and without tax_jurisdiction; a bad jurisdiction is refused', async () => {
    const plain = await load(
      'invoices.csv',
      `${header}\nN-1,C-1,invoice,2026-03-01,2026-03-31,USD,100.00,,,`,
    );
    assert.equal(plain.status, 'loaded', JSON.stringify(plain.errors));
    const bad = await load(
      'invoices.csv',
      `${header},tax_jurisdiction\nN-2,C-1,invoice,2026-03-01,2026-03-31,USD,100.00,,,,us-tx`,
    );
    assert.equal(bad.status, 'rejected');
    assert.deepEqual(
      bad.errors.map((e) => [e.line, e.column, e.value]),
      [[2, 'tax_jurisdiction', 'us-tx']],
    );
    assert.match(bad.errors[0]!.reason, /not a jurisdiction/);

    const withTax = await load(
      'invoices.csv',
      `${header},tax_jurisdiction
T-1,C-1,invoice,2026-03-01,2026-03-31,USD,100.00,0.00,,,US-TX
T-2,C-1,invoice,2026-03-02,2026-04-01,USD,108.25,8.25,,,US-TX
T-3,C-1,invoice,2026-03-03,2026-04-02,USD,100.00,,,,US
T-4,C-1,invoice,2026-07-01,2026-07-31,USD,100.00,,,,US-TX
T-5,C-2,invoice,2026-03-01,2026-03-31,EUR,119.00,19.00,,,DE
T-6,C-1,credit_memo,2026-03-01,2026-03-31,USD,10.00,0.00,,,US
T-7,C-1,invoice,2026-03-01,2026-03-31,USD,100.00,0.00,,,
T-8,C-1,invoice,2026-06-30,2026-07-30,USD,100.00,0,,,US-TX
T-9,C-1,invoice,2025-12-31,2026-01-30,USD,100.00,0,,,US-TX
T-10,C-2,invoice,2026-03-01,2026-03-31,EUR,100.00,0,,,FR`,
    );
    assert.equal(withTax.status, 'loaded', JSON.stringify(withTax.errors));
    // A later file without the column leaves the jurisdictions as they are.
    const again = await load(
      'invoices.csv',
      `${header}\nT-2,C-1,invoice,2026-03-02,2026-04-01,USD,108.25,8.25,ref,`,
    );
    assert.equal(again.status, 'loaded', JSON.stringify(again.errors));
    const { rows } = await t.db.query(`select tax_jurisdiction from ar_documents where document_id = 'T-2'`);
    assert.equal(rows[0]!.tax_jurisdiction, 'US-TX');
  });

  test('tax_exceptions.csv: exactly the columns and reasons of FORMATS.md', async () => {
    // US-TX: TX-100 validated 2026-01-01 … 2026-06-30 (both included). C-2 FR: received, not validated.
    const { csv, rows, checked } = await taxExceptionsCsv(t.db);
    assert.equal(checked, 8);
    assert.equal(rows, 5);
    assert.equal(
      csv,
      [
        'document_id,account_id,tax_jurisdiction,document_date,tax_amount,flag,certificate_number',
        'T-9,C-1,US-TX,2025-12-31,0.00,EXEMPTION_WITHOUT_CERTIFICATE,',
        'T-10,C-2,FR,2026-03-01,0.00,EXEMPTION_WITHOUT_CERTIFICATE,',
        'T-2,C-1,US-TX,2026-03-02,8.25,TAX_CHARGED_TO_EXEMPT,TX-100',
        'T-3,C-1,US,2026-03-03,,EXEMPTION_WITHOUT_CERTIFICATE,',
        'T-4,C-1,US-TX,2026-07-01,,EXEMPTION_WITHOUT_CERTIFICATE,',
        '',
      ].join('\n'),
    );
    const api = await tina.get('/api/tax-exceptions?flag=TAX_CHARGED_TO_EXEMPT');
    assert.equal(api.statusCode, 200, api.body);
    assert.deepEqual(api.json().counts, { TAX_CHARGED_TO_EXEMPT: 1, EXEMPTION_WITHOUT_CERTIFICATE: 4 });
    assert.deepEqual(
      api.json().items.map((x: { document_id: string }) => x.document_id),
      ['T-2'],
    );
    const file = await collector.get('/api/tax-exceptions.csv');
    assert.equal(file.statusCode, 200);
    assert.equal(file.body, csv);
    assert.equal((await partner.get('/api/tax-exceptions')).statusCode, 403);
    assert.equal((await partner.get('/api/tax-exceptions.csv')).statusCode, 403);
  });
});

describe('the command line', () => {
  const root = path.resolve(import.meta.dirname, '..');
  const clearhouse = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const env: NodeJS.ProcessEnv = { ...process.env };
      for (const key of Object.keys(env)) if (key.startsWith('NODE_TEST')) delete env[key];
      delete env.NODE_OPTIONS;
      Object.assign(env, { DATABASE_URL: t.tdb.ownerUrl, CLEARHOUSE_HOME: t.home, LOG_LEVEL: 'warn' });
      const child = spawn(process.execPath, [path.join(root, 'bin', 'clearhouse.js'), ...args], {
        cwd: root,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
      });
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  test('import stores the certificates’ files found beside the CSV; tax check writes tax_exceptions.csv', async () => {
    const dir = fs.mkdtempSync(path.join(t.home, 'cli-'));
    fs.writeFileSync(
      path.join(dir, 'tax_certificates.csv'),
      'account_id,jurisdiction,certificate_number,effective_date,status,file_name\n' +
        'C-2,DE,DE-CLI,2026-01-01,validated,de-cli.pdf\nC-2,AT,AT-CLI,2026-01-01,,missing.pdf\n',
    );
    fs.writeFileSync(path.join(dir, 'de-cli.pdf'), pdf);
    const loaded = await clearhouse(['import', path.join(dir, 'tax_certificates.csv')]);
    assert.equal(loaded.code, 0, loaded.stderr + loaded.stdout);
    assert.match(
      loaded.stdout,
      /1 file\(s\) stored with their certificates; not found beside the CSV: missing\.pdf/,
    );
    const out = path.join(dir, 'out', 'tax_exceptions.csv');
    const check = await clearhouse(['tax', 'check', '--out', out]);
    assert.equal(check.code, 0, check.stderr + check.stdout);
    // DE-CLI, validated now, covers T-5, which charged tax.
    assert.match(check.stdout, /Checked 8 invoice\(s\) naming a tax jurisdiction: 6 flagged/);
    const written = fs.readFileSync(out, 'utf8');
    assert.equal(written, (await taxExceptionsCsv(t.db)).csv);
    assert.ok(written.includes('T-5,C-2,DE,2026-03-01,19.00,TAX_CHARGED_TO_EXEMPT,DE-CLI\n'), written);
  });
});
