import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { type ImportResult, loadRecord, runImport } from '../src/modules/imports/index.ts';
import { addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';

/** Files are understood whole or refused: too many problems, encodings, line endings, control characters. */

let t: TestApp;
let dir: string;

function load(name: string, content: string | Buffer, extra: { kind?: string } = {}): Promise<ImportResult> {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return runImport(t.db, { path: p, source: 'cli', activatePrograms: true, ...extra });
}

const problems = (r: ImportResult) => r.errors.map((e) => `${e.line}|${e.column}|${e.reason}`);
const count = async (sql: string) => Number((await t.db.query<{ n: string }>(sql)).rows[0]!.n);

before(async () => {
  t = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-imports-hard-'));
});
after(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('more than 10,000 problems', () => {
  test('refused with the first 10,000 problems and the count of all of them', async () => {
    const rows = Array.from({ length: 10_050 }, (_, i) => `SKU-${i},Product ${i},not-a-price,EUR`);
    const r = await load('products.csv', ['sku,name,list_price,currency', ...rows].join('\n'));
    assert.equal(r.status, 'rejected');
    assert.equal(r.error_count, 10_050);
    assert.equal(r.rows_rejected, 10_050);
    assert.equal(r.errors.length, 10_000);
    assert.deepEqual(r.errors[0], {
      line: 2,
      column: 'list_price',
      value: 'not-a-price',
      reason: 'must be a decimal amount like 1234.50',
    });
    assert.match(r.message, /10050 problems in 10050 row\(s\); the first 10000 are listed/);
    assert.equal(await count(`select count(*) as n from products`), 0);
  });

  test('more than 10,000 repeated keys are counted too', async () => {
    const rows = Array.from({ length: 10_020 }, (_, i) => `SKU-SAME,Product ${i}`);
    const r = await load('products.csv', ['sku,name', ...rows].join('\n'));
    assert.equal(r.status, 'rejected');
    assert.equal(r.error_count, 10_019);
    assert.equal(r.errors.length, 10_000);
    assert.match(r.errors[0]!.reason, /duplicate key in the file: line 2/);
  });
});

describe('encodings', () => {
  test('invalid UTF-8 is refused with its line, never stored as U+FFFD', async () => {
    const bytes = Buffer.concat([
      Buffer.from('sku,name\nA-1,Plain\nA-2,Caf'),
      Buffer.from([0xe9]), // Latin-1 é
      Buffer.from('\nA-3,Other\n'),
    ]);
    const r = await load('products.csv', bytes);
    assert.equal(r.status, 'rejected');
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0]!.line, 3);
    assert.match(r.errors[0]!.reason, /is not UTF-8 text \(byte 0xe9/);
    assert.equal(await count(`select count(*) as n from products`), 0);
    assert.equal(await count(`select count(*) as n from products where name like '%\uFFFD%'`), 0);
  });

  test('far into a large file, the line is still the right one', async () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => `BIG-${i},Product number ${i} with a longer name`);
    const bytes = Buffer.concat([
      Buffer.from(['sku,name', ...rows.slice(0, 50_000)].join('\n')),
      Buffer.from('\nBIG-X,Bad \xff byte', 'latin1'),
      Buffer.from(`\n${rows.slice(50_000).join('\n')}\n`),
    ]);
    assert.ok(bytes.length > 2 * 1024 * 1024);
    const r = await load('products.csv', bytes);
    assert.equal(r.status, 'rejected');
    assert.deepEqual(
      r.errors.map((e) => e.line),
      [50_002],
    );
    assert.match(r.errors[0]!.reason, /byte 0xff/);
  });

  test('a file cut in the middle of a character is refused', async () => {
    const r = await load(
      'products.csv',
      Buffer.concat([Buffer.from('sku,name\nA-1,Caf'), Buffer.from([0xc3])]),
    );
    assert.equal(r.status, 'rejected');
    assert.equal(r.errors[0]!.line, 2);
    assert.match(r.errors[0]!.reason, /middle of a character/);
  });

  test('a NUL byte is refused with its line (not a server error)', async () => {
    const r = await load('products.csv', Buffer.from('sku,name\nA-1,One\nA-2,T\u0000wo\n'));
    assert.equal(r.status, 'rejected');
    assert.deepEqual(
      r.errors.map((e) => [e.line, e.reason]),
      [[3, 'contains a NUL byte (0x00): the file is not plain text']],
    );
  });

  test('UTF-16 with a byte-order mark is read correctly (LE and BE)', async () => {
    const text = 'sku,name\r\nU-1,Café Zürich\r\nU-2,日本の製品\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const r = await load('products.csv', le);
    assert.equal(r.status, 'loaded', JSON.stringify(r.errors));
    assert.equal(r.rows_inserted, 2);
    const names = await t.db.query<{ sku: string; name: string }>(
      `select sku, name from products where sku like 'U-%' order by sku`,
    );
    assert.deepEqual(
      names.rows.map((n) => [n.sku, n.name]),
      [
        ['U-1', 'Café Zürich'],
        ['U-2', '日本の製品'],
      ],
    );
    const be = Buffer.from(le);
    be.swap16();
    const r2 = await load('products.csv', be);
    assert.equal(r2.status, 'loaded', JSON.stringify(r2.errors));
    assert.equal(r2.rows_unchanged, 2);
  });

  test('UTF-16 without a byte-order mark is refused, asking for UTF-8', async () => {
    const r = await load('products.csv', Buffer.from('sku,name\nV-1,One\n', 'utf16le'));
    assert.equal(r.status, 'rejected');
    assert.equal(r.errors[0]!.line, 1);
    assert.match(r.errors[0]!.reason, /UTF-16 text without a byte-order mark/);
  });

  test('programs.json in invalid UTF-8 is refused with its line', async () => {
    const json = Buffer.concat([
      Buffer.from('[\n{"program_id": "P-X", "name": "Caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}\n]'),
    ]);
    const r = await load('programs.json', json);
    assert.equal(r.status, 'rejected');
    assert.equal(r.errors[0]!.line, 2);
    assert.match(r.errors[0]!.reason, /not UTF-8/);
  });
});

describe('line endings', () => {
  test('a CSV whose lines end in a bare CR is read, every row', async () => {
    const r = await load('products.csv', 'sku,name\rCR-1,One\rCR-2,"Two, quoted"\rCR-3,Three\r');
    assert.equal(r.status, 'loaded', JSON.stringify(r.errors));
    assert.equal(r.rows_total, 3);
    assert.equal(r.rows_inserted, 3);
    assert.equal(await count(`select count(*) as n from products where sku like 'CR-%'`), 3);
  });

  test('a bare-CR file with a bad row is refused at the right line', async () => {
    const r = await load('products.csv', 'sku,name,list_price,currency\rCR-9,Nine,1.00,EUR\rCR-10,Ten,x,EUR');
    assert.equal(r.status, 'rejected');
    assert.deepEqual(problems(r), ['3|list_price|must be a decimal amount like 1234.50']);
  });
});

describe('control characters', () => {
  // A quoted cell spanning two lines is one record: lines count records (the header is line 1).
  test('ESC, line breaks, tabs and direction overrides are refused in ids, with line, column and reason', async () => {
    const r = await load(
      'products.csv',
      [
        'sku,name',
        'OK-1,Fine',
        'ESC-\u001b[31m,Escape',
        '"NL-1\nX",Newline',
        'TAB-\t1,Tab',
        'RLO-\u202Egpj.exe,Override',
        'C1-\u0085,Next line',
        'ZW-\u200b1,Zero width',
      ].join('\n'),
    );
    assert.equal(r.status, 'rejected');
    assert.deepEqual(
      r.errors.map((e) => [e.line, e.column, e.reason.slice(0, 36)]),
      [
        [3, 'sku', 'contains the character U+001B (a con'],
        [4, 'sku', 'contains the character U+000A (a con'],
        [5, 'sku', 'contains the character U+0009 (a con'],
        [6, 'sku', 'contains the character U+202E (a con'],
        [7, 'sku', 'contains the character U+0085 (a con'],
        [8, 'sku', 'contains the character U+200B (a con'],
      ],
    );
    assert.equal(await count(`select count(*) as n from products where sku in ('OK-1')`), 0);
  });

  test('free text: tabs pass; other controls and direction overrides are refused', async () => {
    const r = await load(
      'products.csv',
      ['sku,name', 'T-1,Name\twith a tab', 'T-2,Bell\u0007', 'T-3,"Two\nlines"', 'T-4,abc\u202Edef'].join(
        '\n',
      ),
    );
    assert.deepEqual(
      r.errors.map((e) => [e.line, e.column, e.reason.slice(0, 32)]),
      [
        [3, 'name', 'contains the character U+0007 (a'],
        [4, 'name', 'contains the character U+000A (a'],
        [5, 'name', 'contains the character U+202E (a'],
      ],
    );
  });

  test('claim ids and single records through the API go through the same checks', async () => {
    const claims = await load(
      'claims.csv',
      [
        'claim_id,account_id,program_id,submitted_date,currency,line_no,claimed_amount',
        'CLM-\u001b1,P-1,PRG,2026-01-05,EUR,1,10.00',
      ].join('\n'),
    );
    assert.equal(claims.status, 'rejected');
    assert.ok(
      claims.errors.some((e) => e.line === 2 && e.column === 'claim_id' && /U\+001B/.test(e.reason)),
      JSON.stringify(claims.errors),
    );
    await assert.rejects(
      loadRecord(t.db, 'products', 'create', { sku: 'API-\u202E1', name: 'x' }),
      (err: Error) => /sku: contains the character U\+202E/.test(err.message),
    );
  });

  test('XLSX cells are checked the same way; a damaged workbook is refused, not a server error', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('products');
    ws.addRow(['sku', 'name']);
    ws.addRow(['X-1', 'Fine']);
    ws.addRow(['X-\u00852', 'Next line']);
    ws.addRow(['X-3', 'Bidi \u202E']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const r = await load('products.xlsx', xlsx);
    assert.equal(r.status, 'rejected');
    assert.deepEqual(
      r.errors.map((e) => [e.line, e.column, e.reason.slice(0, 30)]),
      [
        [3, 'sku', 'contains the character U+0085 '],
        [4, 'name', 'contains the character U+202E '],
      ],
    );
    // A raw ESC inside the workbook's XML (which XML forbids): refused as unreadable.
    const zip = await JSZip.loadAsync(xlsx);
    const strings = await zip.file('xl/sharedStrings.xml')!.async('string');
    zip.file('xl/sharedStrings.xml', strings.replace('Fine', 'Fi\u001bne'));
    const damaged = await load('products.xlsx', await zip.generateAsync({ type: 'nodebuffer' }));
    assert.equal(damaged.status, 'rejected');
    assert.match(damaged.errors[0]!.reason, /cannot be read as an XLSX workbook/);
  });

  test('accounts through the API: names and parent ids are refused the same characters', async () => {
    const u = await addUser(t.db, 'admin@corp.test', ['administrator']);
    const admin = await Browser.signedIn(t.app, u.email, u.password);
    const post = (body: Record<string, string>) =>
      admin.request('POST', '/api/accounts', {
        payload: { account_id: 'API-1', country: 'US', currency: 'USD', ...body },
      });
    const evilName = await post({ name: 'Mallory\u202Egnp.exe' });
    assert.equal(evilName.statusCode, 400, evilName.body);
    assert.match(evilName.body, /U\+202E/);
    const newline = await post({ name: 'Two\nlines' });
    assert.equal(newline.statusCode, 400, newline.body);
    const parent = await post({ name: 'Fine', parent_account_id: 'P-\u001b1' });
    assert.equal(parent.statusCode, 400, parent.body);
    assert.match(parent.body, /U\+001B/);
    const ok = await post({ name: 'Tab\tis fine' });
    assert.equal(ok.statusCode, 201, ok.body);
  });
});
