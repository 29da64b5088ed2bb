import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { respondJob, sampleInterchanges } from '../src/modules/edi/index.ts';
import { runImport } from '../src/modules/imports/index.ts';
import { jobDefinitions } from '../src/modules/platform/index.ts';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';

/**
 * The EDI routes and partner isolation: a partner user sees its own organisation's interchanges and
 * trading-partner record and nothing else — another's is 404, exactly like one that does not exist — and may
 * neither change a trading partner nor reprocess (403).
 */
let t: TestApp;
let admin: Browser;
let p1: Browser;
let p2: Browser;
const ids: Record<string, string> = {};

before(async () => {
  t = await createTestApp();
  await addAccount(t.db, 'P-1');
  await addAccount(t.db, 'P-2');
  const products = path.join(t.home, 'products.csv');
  fs.writeFileSync(products, 'sku,name,category,list_price,currency\nX-1,Printer,laser,100.00,EUR\n');
  assert.equal((await runImport(t.db, { path: products, source: 'cli' })).status, 'loaded');
  const users = {
    admin: await addUser(t.db, 'admin@corp.test', ['administrator']),
    p1: await addUser(t.db, 'p1@partner.test', ['partner'], 'P-1'),
    p2: await addUser(t.db, 'p2@partner.test', ['partner'], 'P-2'),
  };
  admin = await Browser.signedIn(t.app, users.admin.email, users.admin.password);
  p1 = await Browser.signedIn(t.app, users.p1.email, users.p1.password);
  p2 = await Browser.signedIn(t.app, users.p2.email, users.p2.password);
  for (const account of ['P-1', 'P-2']) {
    const f = path.join(t.home, `${account}.x12`);
    fs.writeFileSync(
      f,
      sampleInterchanges(
        '852',
        ['account_id', 'sku', 'as_of_date', 'on_hand_qty'],
        [
          { account_id: account, sku: 'X-1', as_of_date: '2026-11-30', on_hand_qty: '7' },
          { account_id: account, sku: 'NO-SUCH', as_of_date: '2026-12-01', on_hand_qty: '1' },
        ],
      ),
    );
    const r = await runImport(t.db, { path: f, source: 'cli' });
    assert.equal(r.kind, 'x12');
  }
  const list = (await admin.get('/api/edi/interchanges?direction=in')).json() as {
    items: { interchange_id: string; account_id: string }[];
  };
  for (const i of list.items) ids[i.account_id] = i.interchange_id;
});
after(() => t.close());

describe('EDI API', () => {
  test('the desk sees every interchange with its sets, errors and 997', async () => {
    const list = (await admin.get('/api/edi/interchanges')).json() as {
      total: number;
      items: { direction: string; set_codes: string[]; status: string }[];
    };
    assert.equal(list.total, 4, 'two inbound 852 interchanges and their two 997s');
    const detail = (await admin.get(`/api/edi/interchanges/${ids['P-1']}`)).json() as {
      status: string;
      ack_status: string;
      sets: { status: string; errors: { element: string; reason: string; value: string }[] }[];
    };
    assert.equal(detail.status, 'partial');
    assert.equal(detail.ack_status, 'partial');
    const refused = detail.sets.find((s) => s.status === 'refused')!;
    assert.equal(refused.errors[0]!.element, 'LIN03');
    assert.equal(refused.errors[0]!.value, 'NO-SUCH');
    assert.match(refused.errors[0]!.reason, /unknown SKU/);
    const file = await admin.get(`/api/edi/interchanges/${ids['P-1']}/file`);
    assert.equal(file.statusCode, 200);
    assert.match(file.body, /^ISA\*/);
  });

  test('a partner sees its own interchanges only; another’s is 404', async () => {
    const mine = (await p1.get('/api/edi/interchanges')).json() as { items: { account_id: string }[] };
    assert.ok(mine.items.length === 2 && mine.items.every((i) => i.account_id === 'P-1'));
    assert.equal((await p1.get(`/api/edi/interchanges/${ids['P-1']}`)).statusCode, 200);
    const other = await p1.get(`/api/edi/interchanges/${ids['P-2']}`);
    const none = await p1.get('/api/edi/interchanges/00000000-0000-4000-8000-000000000000');
    assert.equal(other.statusCode, 404);
    assert.equal(none.statusCode, 404);
    assert.equal((await p1.get(`/api/edi/interchanges/${ids['P-2']}/file`)).statusCode, 404);
    const filtered = (await p2.get('/api/edi/interchanges?account_id=P-1')).json() as { total: number };
    assert.equal(filtered.total, 0);
  });

  test('trading partners: the desk sets them up; a partner reads its own and changes nothing', async () => {
    const put = await admin.put('/api/edi/trading-partners/P-1', {
      isa_qualifier: 'ZZ',
      isa_id: 'P1EDI',
      sets_received: ['844', '852'],
      sets_sent: ['849'],
      usage: 'production',
    });
    assert.equal(put.statusCode, 200, put.body);
    await admin.put('/api/edi/trading-partners/P-2', { isa_id: 'P2EDI' });
    const clash = await admin.put('/api/edi/trading-partners/P-2', { isa_qualifier: 'ZZ', isa_id: 'P1EDI' });
    assert.equal(clash.statusCode, 409);
    const bad = await admin.put('/api/edi/trading-partners/P-2', { isa_id: 'P2*EDI' });
    assert.equal(bad.statusCode, 400);
    const all = (await admin.get('/api/edi/trading-partners')).json() as { items: unknown[] };
    assert.equal(all.items.length, 2);
    const own = (await p1.get('/api/edi/trading-partners')).json() as { items: { account_id: string }[] };
    assert.deepEqual(
      own.items.map((i) => i.account_id),
      ['P-1'],
    );
    assert.equal((await p1.get('/api/accounts/P-1/edi')).statusCode, 200);
    assert.equal((await p1.get('/api/accounts/P-2/edi')).statusCode, 404);
    assert.equal((await p1.put('/api/edi/trading-partners/P-1', { isa_id: 'HACK' })).statusCode, 403);
    assert.equal((await p1.post(`/api/edi/interchanges/${ids['P-1']}/reprocess`)).statusCode, 403);
  });

  test('reprocess after a fix: the refused set loads, a new 997 accepts it', async () => {
    const products = path.join(t.home, 'products-2.csv');
    fs.writeFileSync(products, 'sku,name,category,list_price,currency\nNO-SUCH,Now known,laser,1.00,EUR\n');
    assert.equal(
      (await runImport(t.db, { path: products, source: 'cli', kind: 'products' })).status,
      'loaded',
    );
    const r = await admin.post(`/api/edi/interchanges/${ids['P-1']}/reprocess`);
    assert.equal(r.statusCode, 200, r.body);
    assert.equal((r.json() as { status: string }).status, 'loaded');
    const detail = (await admin.get(`/api/edi/interchanges/${ids['P-1']}`)).json() as {
      ack_status: string;
      status: string;
    };
    assert.deepEqual([detail.status, detail.ack_status], ['loaded', 'accepted']);
    const inventory = await t.db.query(
      `select 1 from inventory_reports where account_id = 'P-1' and sku = 'NO-SUCH'`,
    );
    assert.equal(inventory.rowCount, 1);
  });

  test('the edi.respond job is scheduled and runs the 849s and 812s', async () => {
    const def = jobDefinitions().find((j) => j.name === 'edi.respond');
    assert.ok(def?.schedule);
    const r = await respondJob.handler(
      { db: t.db, log: pino({ level: 'silent' }), signal: new AbortController().signal },
      {},
    );
    assert.deepEqual(r, { claims: 0, credit_memos: 0 });
  });
});
