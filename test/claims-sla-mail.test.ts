import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import type { Actor, PoolDb } from '../src/db/db.ts';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import { listSlaAlerts, runSlaEscalations, validateClaims } from '../src/modules/claims/index.ts';
import { listEmails, sendQueued } from '../src/modules/correspondence/index.ts';
import { createUser } from '../src/modules/identity/index.ts';
import { fileSystemStore } from '../src/modules/platform/index.ts';
import { loadFiles } from './helpers/app.ts';
import '../src/modules/index.ts';

/**
 * SLA notifications through real SMTP (an smtp-server peer): a warning e-mails the claim's rebate analyst,
 * and the partner's claims contact when the claim waits for its document; an escalation e-mails the analyst
 * with the managers in copy; nothing is sent twice; partners never see the internal notifications.
 */
interface Received {
  to: string[];
  raw: string;
}

const analyst: Actor = { userId: null, name: 'ana', roles: ['rebate_analyst'], accounts: '*' };
const partnerOf = (account: string): Actor => ({
  userId: null,
  name: `partner ${account}`,
  roles: ['partner'],
  accounts: [account],
});

let tdb: TestDatabase;
let db: PoolDb;
let home: string;
let server: SMTPServer;
const received: Received[] = [];

/** The text body of a quoted-printable message. */
const body = (raw: string) =>
  Buffer.from(
    raw
      .slice(raw.indexOf('\r\n\r\n') + 4)
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
    'latin1',
  ).toString('utf8');

const header = (raw: string, name: string) =>
  new RegExp(`^${name}: (.*(?:\\r?\\n[ \\t].*)*)`, 'mi').exec(raw)?.[1]?.replace(/\r?\n[ \t]+/g, ' ') ?? '';

before(async () => {
  tdb = await createTestDatabase();
  db = tdb.db;
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-sla-mail-'));
  process.env.CLEARHOUSE_HOME = home;
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

  const files: [string, string][] = [
    [
      'accounts.csv',
      `account_id,name,country,currency,rebate_analyst,claims_email
P-1,Partner one,DE,EUR,ana@corp.test,claims@one.test
P-2,Partner two,DE,EUR,,claims@two.test`,
    ],
    ['products.csv', 'sku,name\nX-1,Printer'],
    [
      'programs.json',
      JSON.stringify({
        program_id: 'DOC',
        name: 'Sell-out with proof',
        type: 'sell_out',
        currency: 'EUR',
        country: 'DE',
        start_date: '2026-01-01',
        end_date: '2026-12-31',
        per_unit_amount: '10.00',
        required_documents: ['proof_of_sale'],
        sla_business_days: 10,
      }),
    ],
    [
      'inventory.csv',
      'account_id,sku,as_of_date,on_hand_qty,kind\nP-1,X-1,2026-01-01,10,opening\nP-2,X-1,2026-01-01,10,opening',
    ],
    [
      'sell_out.csv',
      'account_id,sell_out_ref,sale_date,sku,qty\nP-1,S1,2026-04-20,X-1,2\nP-2,S1,2026-04-20,X-1,2',
    ],
    [
      'claims.csv',
      `claim_id,account_id,program_id,submitted_date,currency,line_no,sku,qty,claimed_unit_amount,claimed_amount,sale_date,sell_out_ref
C-1,P-1,DOC,2026-05-01,EUR,1,X-1,2,10.00,20.00,2026-04-20,S1
C-2,P-2,DOC,2026-05-01,EUR,1,X-1,2,10.00,20.00,2026-04-20,S1`,
    ],
  ];
  await loadFiles(db, home, files);
  await validateClaims(db);
  await createUser(db, {
    email: 'max@corp.test',
    name: 'Max Manager',
    roles: ['manager'],
    password: 'x'.repeat(16),
  });
  await createUser(db, {
    email: 'mia@corp.test',
    name: 'Mia Manager',
    roles: ['manager'],
    password: 'x'.repeat(16),
  });
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await tdb?.drop();
  fs.rmSync(home, { recursive: true, force: true });
  delete process.env.SMTP_URL;
});

const deliver = () => sendQueued(db, { store: fileSystemStore(path.join(home, 'documents')), home });

describe('SLA notifications', () => {
  test('warnings go to the analyst (managers when there is none) and a reminder to the partner, once', async () => {
    // Submitted Fri 1 May with a target of 10 business days: due Mon 18 May, due soon on 12 May.
    const run = await runSlaEscalations(db.as(analyst), { asOf: '2026-05-12' });
    assert.equal(run.warnings, 2);
    assert.deepEqual(run.notifications, { alerts: 2, emails: 4, unaddressed: 0, delivery: 'pending' });
    await deliver();
    const got = received.map((m) => `${m.to.join(',')}|${header(m.raw, 'Subject')}`).sort();
    assert.deepEqual(got, [
      'ana@corp.test|SLA warning: claim C-1 of Partner one (P-1) is due 2026-05-18',
      'claims@one.test|Claim C-1: action needed by 2026-05-18',
      'claims@two.test|Claim C-2: action needed by 2026-05-18',
      'max@corp.test,mia@corp.test|SLA warning: claim C-2 of Partner two (P-2) is due 2026-05-18',
    ]);
    const reminder = received.find((m) => m.to.includes('claims@one.test'))!;
    assert.match(body(reminder.raw), /Required document\(s\) not attached: proof_of_sale/);
    assert.match(body(reminder.raw), /attach the missing document/);
    const warning = received.find((m) => m.to.includes('ana@corp.test'))!;
    assert.match(body(warning.raw), /3 business day\(s\) left/);

    // The next day's run records nothing new and sends nothing.
    const again = await runSlaEscalations(db.as(analyst), { asOf: '2026-05-13' });
    assert.deepEqual(again.notifications, { alerts: 0, emails: 0, unaddressed: 0, delivery: 'none' });
    await deliver();
    assert.equal(received.length, 4);
    const alerts = await listSlaAlerts(db.as(analyst));
    assert.ok(
      alerts.items.every((a) => a.notified_at && a.email_ids!.length === 2),
      JSON.stringify(alerts.items),
    );
  });

  test('an escalation goes to the analyst with the managers in copy', async () => {
    received.length = 0;
    const run = await runSlaEscalations(db.as(analyst), { asOf: '2026-05-19' });
    assert.equal(run.escalations, 2);
    await deliver();
    const c1 = received.find((m) => header(m.raw, 'Subject').includes('C-1'))!;
    assert.equal(
      header(c1.raw, 'Subject'),
      'SLA breached: claim C-1 of Partner one (P-1) was due 2026-05-18',
    );
    assert.equal(header(c1.raw, 'To'), 'ana@corp.test');
    assert.equal(header(c1.raw, 'Cc'), 'max@corp.test, mia@corp.test');
    assert.deepEqual(c1.to.sort(), ['ana@corp.test', 'max@corp.test', 'mia@corp.test']);
    assert.match(body(c1.raw), /1 business day\(s\) ago/);
    assert.equal(received.length, 2, 'no partner reminder on escalation, nothing repeated');
  });

  test('a partner sees its reminder but never the internal notifications', async () => {
    const own = await listEmails(db.as(partnerOf('P-1')));
    assert.deepEqual(
      own.items.map((e) => e.subject),
      ['Claim C-1: action needed by 2026-05-18'],
    );
    const all = await listEmails(db.as({ ...analyst, roles: ['manager'] }));
    assert.equal(all.items.filter((e) => e.kind.startsWith('claim_sla_')).length, 4);
  });
});
