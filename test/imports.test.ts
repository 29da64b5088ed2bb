import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { type ImportResult, runImport } from '../src/modules/imports/index.ts';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';

/** The import engine end to end on a real database: every template, every refusal, re-loads and updates. */

let t: TestApp;
let dir: string;

function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

function load(name: string, content: string | Buffer, extra: { kind?: string } = {}): Promise<ImportResult> {
  return runImport(t.db, { path: file(name, content), source: 'cli', activatePrograms: true, ...extra });
}

async function one<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await t.db.query(sql, params);
  return rows[0] as T;
}

const problems = (r: ImportResult) => r.errors.map((e) => `${e.line}|${e.column}|${e.reason}`);

before(async () => {
  t = await createTestApp({ maxUploadBytes: 5 * 1024 * 1024 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-imports-'));
});
after(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('every template loads', () => {
  test('accounts: a child may come before its parent in the file; defaults apply', async () => {
    const r = await load(
      'accounts.csv',
      [
        'account_id,name,country,currency,parent_account_id,payment_terms_days,credit_limit,collector,bank_routing_number,bank_account_number',
        'P-1002,Beta Reseller,at,EUR,P-1001,,,ann@corp.test,021000021,98765',
        'P-1001,Alpha Distribution,DE,EUR,,45,250000.00,,,',
        'P-2001,"Gamma, Inc.",US,USD,,,,,,',
      ].join('\n'),
    );
    assert.equal(r.status, 'loaded', JSON.stringify(r.errors));
    assert.deepEqual([r.rows_total, r.rows_inserted, r.rows_updated, r.rows_unchanged], [3, 3, 0, 0]);
    const beta = await one(`select * from accounts where account_id = 'P-1002'`);
    assert.equal(beta.country, 'AT');
    assert.equal(beta.parent_account_id, 'P-1001');
    assert.equal(beta.payment_terms_days, 30);
    const alpha = await one(`select * from accounts where account_id = 'P-1001'`);
    assert.equal(alpha.credit_limit, '250000.00');
    assert.equal(alpha.payment_terms_days, 45);
    assert.equal((await one(`select name from accounts where account_id = 'P-2001'`)).name, 'Gamma, Inc.');
    const created = await one<{ n: string }>(
      `select count(*) as n from audit_events where entity_type = 'account' and action = 'created'`,
    );
    assert.equal(created.n, '3');
  });

  test('products with a byte-order mark, CRLF line ends, quoted commas and a trailing blank line', async () => {
    const r = await load(
      'products.csv',
      '\ufeffsku,name,family,category,list_price,currency\r\nX-100,Laser mono,laser,laser-mono,199.00,EUR\r\nX-200,"Laser, colour",laser,laser-colour,299.5,eur\r\nX-300,Toner,supplies,toner,0.1234,EUR\r\n\r\n',
    );
    assert.equal(r.status, 'loaded', JSON.stringify(r.errors));
    assert.equal(r.rows_inserted, 3);
    const p = await one(`select name, list_price, currency from products where sku = 'X-200'`);
    assert.deepEqual(p, { name: 'Laser, colour', list_price: '299.5000', currency: 'EUR' });
    assert.equal((await one(`select list_price from products where sku = 'X-300'`)).list_price, '0.1234');
  });

  test('end customers, price changes, programs, deals', async () => {
    let r = await load(
      'end_customers.csv',
      'end_customer_id,name,country,segment\nEC-1,City Hospital,DE,public\nEC-2,Alpine Bank,AT,\n',
    );
    assert.equal(r.rows_inserted, 2);
    r = await load(
      'price_changes.csv',
      'sku,country,effective_date,old_price,new_price,currency\nX-100,DE,2026-06-01,199.00,179.00,EUR\n',
    );
    assert.equal(r.rows_inserted, 1, JSON.stringify(r.errors));
    r = await load(
      'programs.json',
      JSON.stringify([
        {
          program_id: 'SB-2026',
          name: 'Special bids 2026',
          type: 'special_bid',
          currency: 'EUR',
          country: 'DE',
          partners: ['P-1001', 'P-1002'],
          start_date: '2026-01-01',
          end_date: '2026-12-31',
          claim_window_days: 90,
          payment_method: 'credit_memo',
        },
      ]),
    );
    assert.equal(r.status, 'loaded', JSON.stringify(r.errors));
    assert.equal(r.rows_inserted, 1);
    const program = await one(
      `select p.active_version, v.status from programs p join program_versions v using (program_id) where program_id = 'SB-2026'`,
    );
    assert.deepEqual(program, { active_version: 1, status: 'active' });
    r = await load(
      'deals.csv',
      'deal_id,program_id,account_id,end_customer_id,sku,authorized_unit_amount,currency,max_qty,start_date,end_date\nD-1,SB-2026,P-1001,EC-1,X-100,12.50,EUR,100,2026-01-01,2026-06-30\n',
    );
    assert.equal(r.status, 'loaded', JSON.stringify(r.errors));
    const deal = await one(
      `select authorized_unit_amount, max_qty, end_date from deals where deal_id = 'D-1'`,
    );
    assert.deepEqual(deal, { authorized_unit_amount: '12.5000', max_qty: 100, end_date: '2026-06-30' });
  });

  test('sell-in, sell-out with serial numbers, inventory with the default kind', async () => {
    let r = await load(
      'sell_in.csv',
      'invoice_id,line_no,account_id,invoice_date,sku,qty,unit_price,currency\nINV-1,1,P-1001,2026-01-10,X-100,10,150.00,EUR\nINV-1,2,P-1001,2026-01-10,X-200,5,250.00,EUR\n',
    );
    assert.equal(r.rows_inserted, 2, JSON.stringify(r.errors));
    r = await load(
      'sell_out.csv',
      'account_id,sell_out_ref,sale_date,sku,qty,unit_price,currency,end_customer_id,partner_invoice_no,serial_numbers\nP-1001,SO-1,2026-02-01,X-100,3,180.00,EUR,EC-1,PI-9,S1; S2 ;S3\n',
    );
    assert.equal(r.rows_inserted, 1, JSON.stringify(r.errors));
    const so = await one(`select serial_numbers, unit_price from sell_out where sell_out_ref = 'SO-1'`);
    assert.deepEqual(so, { serial_numbers: ['S1', 'S2', 'S3'], unit_price: '180.0000' });
    r = await load(
      'inventory.csv',
      'account_id,sku,as_of_date,on_hand_qty,kind\nP-1001,X-100,2026-01-01,4,opening\nP-1001,X-100,2026-03-01,9,\n',
    );
    assert.equal(r.rows_inserted, 2, JSON.stringify(r.errors));
    const kinds = await t.db.query(`select kind from inventory_reports order by as_of_date`);
    assert.deepEqual(
      kinds.rows.map((k) => k.kind),
      ['opening', 'snapshot'],
    );
    // The load refreshed the account monitoring log: 4 + 10 − 3 = 11 computed against 9 reported.
    const diff = await one(
      `select reported_qty, computed_qty, difference from inventory_differences where account_id = 'P-1001' and status = 'open'`,
    );
    assert.deepEqual(Object.values(diff).map(String), ['9', '11', '-2']);
  });

  test('an XLSX workbook with the same columns on its first sheet', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('sell-out');
    ws.addRow(['account_id', 'sell_out_ref', 'sale_date', 'sku', 'qty', 'unit_price', 'currency']);
    ws.addRow(['P-1002', 'X-1', new Date(Date.UTC(2026, 2, 5)), 'X-200', 2, 280.5, 'EUR']);
    ws.addRow([]);
    ws.addRow(['P-1002', 'X-2', '2026-03-06', 'X-200', 1, '279.99', 'EUR']);
    wb.addWorksheet('notes').addRow(['ignored']);
    const r = await load('2026-03_sell_out.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    assert.equal(r.kind, 'sell_out');
    assert.equal(r.status, 'loaded', JSON.stringify(r.errors));
    assert.equal(r.rows_inserted, 2);
    const x1 = await one(`select sale_date, qty, unit_price from sell_out where sell_out_ref = 'X-1'`);
    assert.deepEqual(x1, { sale_date: '2026-03-05', qty: 2, unit_price: '280.5000' });

    const bad = new ExcelJS.Workbook();
    const bs = bad.addWorksheet('s');
    bs.addRow(['account_id', 'sell_out_ref', 'sale_date', 'sku', 'qty']);
    bs.addRow(['P-1002', 'X-3', '2026-13-01', 'X-200', 1]);
    const refused = await load('sell_out.xlsx', Buffer.from(await bad.xlsx.writeBuffer()));
    assert.deepEqual(problems(refused), ['2|sale_date|is not a real calendar date']);
  });
});

describe('re-loading and changing', () => {
  const sellIn =
    'invoice_id,line_no,account_id,invoice_date,sku,qty,unit_price,currency\nINV-9,1,P-1002,2026-01-12,X-200,7,250.00,EUR\nINV-9,2,P-1002,2026-01-12,X-100,1,150.00,EUR\n';

  test('the same rows again change nothing, and the file is recognised', async () => {
    const first = await load('sell_in.csv', sellIn);
    assert.equal(first.rows_inserted, 2);
    const events = await one<{ n: string }>('select count(*) as n from audit_events');
    const again = await load('sell_in.csv', sellIn);
    assert.deepEqual([again.rows_inserted, again.rows_updated, again.rows_unchanged], [0, 0, 2]);
    assert.equal(again.same_file_as, first.import_id);
    const after = await one<{ n: string }>(
      `select count(*) as n from audit_events where entity_type <> 'import'`,
    );
    const before = await one<{ n: string }>(
      `select count(*) as n from audit_events where entity_type <> 'import' and event_id <= (select max(event_id) from audit_events) - 1`,
    );
    assert.ok(Number(events.n) > 0);
    assert.equal(after.n, before.n, 'only the import itself was recorded');
    // Trailing zeros are the same amount: still unchanged.
    const same = await load('sell_in.csv', sellIn.replace('250.00', '250'));
    assert.equal(same.rows_unchanged, 2);
  });

  test('a changed row under the same key is an update with before and after in the audit trail', async () => {
    const r = await load('sell_in.csv', sellIn.replace(',7,250.00', ',8,250.00'));
    assert.deepEqual([r.rows_inserted, r.rows_updated, r.rows_unchanged], [0, 1, 1]);
    const e = await one<{ before: { qty: number }; after: { qty: number }; actor_name: string }>(
      `select before, after, actor_name from audit_events where entity_type = 'sell_in_line' and entity_id = 'INV-9/1'`,
    );
    assert.equal(e.before.qty, 7);
    assert.equal(e.after.qty, 8);
    assert.equal(e.actor_name, 'test');
    assert.equal((await one(`select qty from sell_in where invoice_id = 'INV-9' and line_no = 1`)).qty, 8);
  });

  test('a column left out of the file keeps its value; an empty cell clears it', async () => {
    await load('accounts.csv', 'account_id,name,country,currency,segment\nP-3001,Delta,DE,EUR,key\n');
    await load('accounts.csv', 'account_id,name,country,currency\nP-3001,Delta GmbH,DE,EUR\n');
    assert.deepEqual(await one(`select name, segment from accounts where account_id = 'P-3001'`), {
      name: 'Delta GmbH',
      segment: 'key',
    });
    await load('accounts.csv', 'account_id,name,country,currency,segment\nP-3001,Delta GmbH,DE,EUR,\n');
    assert.equal((await one(`select segment from accounts where account_id = 'P-3001'`)).segment, null);
  });
});

describe('a file with bad rows is refused whole, each bad line named', () => {
  test('every problem of every row, nothing written', async () => {
    const before = await one<{ n: string }>('select count(*) as n from sell_out');
    const r = await load(
      'sell_out.csv',
      [
        'account_id,sell_out_ref,sale_date,sku,qty,unit_price,currency,end_customer_id',
        'P-1001,OK-1,2026-03-01,X-100,1,10.00,EUR,',
        'P-1001,BAD-1,2026-02-30,X-100,-2,10.00,EUR,',
        'P-1001,BAD-2,2026-03-01,X-999,1,"1,234.50",EUR,',
        'P-9999,BAD-3,01/03/2026,X-100,1.5,10.00,EURO,EC-404',
        'P-1001,OK-1,2026-03-02,X-100,1,10.00,EUR,',
        ',BAD-5,2026-03-01,X-100,,,,',
        'P-1001,BAD-6,2026-03-01,X-100,1,10.00,EUR,EC-1,extra',
      ].join('\n'),
    );
    assert.equal(r.status, 'rejected');
    assert.deepEqual(problems(r), [
      '3|sale_date|is not a real calendar date',
      '3|qty|must not be negative',
      '4|sku|unknown SKU',
      '4|unit_price|amount with a comma: write amounts like 1234.50 (a "." for decimals, no thousands separator)',
      '5|account_id|unknown account',
      '5|sale_date|must be a date written YYYY-MM-DD',
      '5|qty|must be a whole number',
      '5|currency|is not an ISO 4217 currency code',
      '5|end_customer_id|unknown end customer',
      '6|account_id, sell_out_ref|duplicate key in the file: line 2 has the same account_id, sell_out_ref',
      '7|account_id|is required',
      '7|qty|is required',
      '8|null|the row has 9 cells but the header has 8 columns',
    ]);
    assert.equal(r.rows_rejected, 6);
    assert.match(r.message, /Nothing was loaded/);
    assert.equal((await one<{ n: string }>('select count(*) as n from sell_out')).n, before.n);
    const stored = await one<{ status: string; error_count: string }>(
      'select status, error_count from imports where import_id = $1',
      [r.import_id],
    );
    assert.deepEqual(stored, { status: 'rejected', error_count: '13' });
  });

  test('header problems: unknown and missing columns', async () => {
    const r = await load('deals.csv', 'deal_id,program,account_id\nD-9,SB-2026,P-1001\n');
    assert.deepEqual(problems(r), [
      '1|program|unknown column; deals has deal_id, program_id, account_id, end_customer_id, sku, authorized_unit_amount, currency, max_qty, start_date, end_date',
      '1|program_id|required column is missing from the header',
      '1|sku|required column is missing from the header',
      '1|authorized_unit_amount|required column is missing from the header',
      '1|currency|required column is missing from the header',
      '1|max_qty|required column is missing from the header',
      '1|start_date|required column is missing from the header',
      '1|end_date|required column is missing from the header',
    ]);
  });

  test('rules across columns and tables', async () => {
    let r = await load(
      'deals.csv',
      'deal_id,program_id,account_id,sku,authorized_unit_amount,currency,max_qty,start_date,end_date\nD-2,NOPE,P-1001,X-100,1.00,EUR,0,2026-05-01,2026-04-01\n',
    );
    assert.deepEqual(problems(r), [
      '2|program_id|unknown program',
      '2|max_qty|must be at least 1',
      '2|end_date|is before start_date',
    ]);
    r = await load(
      'sell_in.csv',
      'invoice_id,line_no,account_id,invoice_date,sku,qty,unit_price,currency\nINV-1,1,P-1002,2026-01-10,X-100,10,150.00,EUR\n',
    );
    assert.deepEqual(problems(r), ['2|account_id|invoice INV-1 line 1 already belongs to account P-1001']);
    r = await load(
      'accounts.csv',
      'account_id,name,country,currency,parent_account_id\nP-1001,Alpha,DE,EUR,P-1002\n',
    );
    assert.deepEqual(problems(r), [
      '2|parent_account_id|P-1001 would end up below itself in the account hierarchy',
    ]);
    r = await load(
      'accounts.csv',
      'account_id,name,country,currency,bank_routing_number,bank_account_number\nP-4,x,XX,EUR,123456789,1\n',
    );
    assert.deepEqual(problems(r), [
      '2|country|is not an ISO 3166-1 alpha-2 country code',
      '2|bank_routing_number|is not a valid ABA routing number (check digit)',
    ]);
  });

  test('programs.json: every bad item named, nothing loaded', async () => {
    const r = await load(
      'programs.json',
      '[{"program_id":"X-1","name":"x","type":"sell_out","currency":"EUR","country":"DE","start_date":"2026-01-01","end_date":"2026-13-01","per_unit_amount":"5.00"},{"program_id":"X-2","type":"nope"}]',
    );
    assert.equal(r.status, 'rejected');
    assert.ok(
      r.errors.some((e) => e.line === 1 && e.column === 'end_date'),
      JSON.stringify(r.errors),
    );
    assert.ok(
      r.errors.some((e) => e.line === 2),
      JSON.stringify(r.errors),
    );
    assert.equal(
      (await one<{ n: string }>(`select count(*) as n from programs where program_id like 'X-%'`)).n,
      '0',
    );
    const broken = await load('programs.json', '[{"program_id": "X-3",\n  "name": }]');
    assert.match(broken.errors[0]!.reason, /not valid JSON/);
  });

  test('a file whose name says nothing needs --kind', async () => {
    await assert.rejects(load('data.csv', 'a\n1\n'), /cannot tell which template/);
    const r = await load('data.csv', 'end_customer_id,name,country\nEC-9,Nine,FR\n', {
      kind: 'end_customers',
    });
    assert.equal(r.status, 'loaded');
  });
});

describe('through the API', () => {
  let admin: Browser;
  let partner: Browser;
  before(async () => {
    await addAccount(t.db, 'P-API');
    const a = await addUser(t.db, 'imports-admin@corp.test', ['administrator']);
    const p = await addUser(t.db, 'uploader@partner.test', ['partner'], 'P-API');
    admin = await Browser.signedIn(t.app, a.email, a.password);
    partner = await Browser.signedIn(t.app, p.email, p.password);
  });

  test('upload, history, detail and the refused rows as CSV', async () => {
    const ok = await admin.upload(
      '/api/imports',
      {},
      { name: 'end_customers.csv', content: 'end_customer_id,name,country\nEC-API,Api,DE\n' },
    );
    assert.equal(ok.statusCode, 201, ok.body);
    const bad = await admin.upload(
      '/api/imports',
      { kind: 'products' },
      { name: 'catalogue.csv', content: 'sku,name,list_price,currency\nA,Ok,1.00,EUR\nB,,=cmd|x,EUR\n' },
    );
    assert.equal(bad.statusCode, 422);
    const imp = bad.json().import;
    assert.equal(bad.json().error.code, 'import_rejected');
    assert.deepEqual(
      imp.errors.map((e: { line: number; column: string }) => `${e.line}|${e.column}`),
      ['3|name', '3|list_price'],
    );
    const history = (await admin.get('/api/imports')).json();
    assert.ok(history.total >= 2);
    assert.equal(history.items[0].import_id, imp.import_id);
    const detail = (await admin.get(`/api/imports/${imp.import_id}`)).json().import;
    assert.equal(detail.errors.length, 2);
    const csv = await admin.get(`/api/imports/${imp.import_id}/rejected.csv`);
    assert.equal(csv.statusCode, 200);
    assert.equal(
      csv.body,
      "line,sku,name,list_price,currency,errors\n3,B,,'=cmd|x,EUR,name: is required; list_price: must be a decimal amount like 1234.50\n",
    );
  });

  test('a partner loads its own sell-out and nothing else', async () => {
    await t.db.query(`insert into products (sku, name) values ('P-SKU', 'x') on conflict do nothing`);
    const own = await partner.upload(
      '/api/imports',
      {},
      {
        name: 'sell_out.csv',
        content: 'account_id,sell_out_ref,sale_date,sku,qty\nP-API,R1,2026-04-01,P-SKU,2\n',
      },
    );
    assert.equal(own.statusCode, 201, own.body);
    assert.equal(own.json().import.account_id, 'P-API');
    const accounts = await partner.upload(
      '/api/imports',
      {},
      { name: 'accounts.csv', content: 'account_id,name,country,currency\nZ,z,DE,EUR\n' },
    );
    assert.equal(accounts.statusCode, 403);
    const mine = (await partner.get('/api/imports')).json();
    assert.deepEqual(
      mine.items.map((i: { kind: string }) => i.kind),
      ['sell_out'],
    );
  });

  test('single records: create, change (audited), refuse bad values, conflict on a second create', async () => {
    const created = await admin.post('/api/products', {
      sku: 'API-1',
      name: 'Api printer',
      list_price: '99.90',
      currency: 'EUR',
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().product.list_price, '99.9000');
    const again = await admin.post('/api/products', { sku: 'API-1', name: 'Api printer' });
    assert.equal(again.statusCode, 409);
    const changed = await admin.patch('/api/products/API-1', { list_price: '89.90' });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(changed.json().product.name, 'Api printer');
    const audit = (await admin.get('/api/audit/product/API-1')).json().items;
    assert.deepEqual(
      audit.map((e: { action: string }) => e.action),
      ['updated', 'created'],
    );
    assert.equal(audit[0].before.list_price, 99.9);
    const bad = await admin.patch('/api/products/API-1', { list_price: '1,00' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.issues[0].field, 'list_price');
    const number = await admin.post('/api/products', {
      sku: 'API-2',
      name: 'x',
      list_price: 1.5,
      currency: 'EUR',
    });
    assert.equal(number.statusCode, 400);
    assert.match(number.body, /amounts travel as strings/);
    const so = await admin.post('/api/sell-out', {
      account_id: 'P-API',
      sell_out_ref: 'R2',
      sale_date: '2026-04-02',
      sku: 'P-SKU',
      qty: 3,
      serial_numbers: ['A1', 'A2'],
    });
    assert.equal(so.statusCode, 201, so.body);
    assert.deepEqual(so.json().record.serial_numbers, ['A1', 'A2']);
    const missing = await admin.patch('/api/sell-out/P-API/NOPE', { qty: 1 });
    assert.equal(missing.statusCode, 404);
  });
});
