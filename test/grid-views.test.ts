import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';

/**
 * What each user keeps for itself (its locale, its saved views of the grids) and the export of any grid as
 * XLSX or CSV.
 */
let t: TestApp;
let ana: Browser;
let ben: Browser;
let partner: Browser;

before(async () => {
  t = await createTestApp();
  await addAccount(t.db, 'P-A');
  await addAccount(t.db, 'P-B');
  const a = await addUser(t.db, 'ana@corp.test', ['rebate_analyst']);
  const b = await addUser(t.db, 'ben@corp.test', ['rebate_analyst']);
  const p = await addUser(t.db, 'pat@partner-a.test', ['partner'], 'P-A');
  ana = await Browser.signedIn(t.app, a.email, a.password);
  ben = await Browser.signedIn(t.app, b.email, b.password);
  partner = await Browser.signedIn(t.app, p.email, p.password);
});

after(() => t.close());

test('a user sets its locale; the session carries it; a tag the runtime does not know is refused', async () => {
  assert.equal((await ana.get('/api/preferences')).json().preferences.locale, null);
  const set = await ana.put('/api/preferences', { locale: 'de-DE' });
  assert.equal(set.statusCode, 200, set.body);
  assert.equal((await ana.get('/api/auth/session')).json().user.locale, 'de-DE');
  assert.equal((await ben.get('/api/auth/session')).json().user.locale, null);
  assert.equal((await ana.put('/api/preferences', { locale: 'not a locale' })).statusCode, 400);
  assert.equal((await ana.put('/api/preferences', { locale: null })).json().preferences.locale, null);
});

test('saved views: named, per user and grid, replaced by name, deleted; nobody sees another’s', async () => {
  const state = {
    columns: [
      { colId: 'status', width: 160, sort: 'asc', sortIndex: 0 },
      { colId: 'claim_id', hide: true },
    ],
    filters: { partner: { filterType: 'text', type: 'contains', filter: 'north' } },
  };
  assert.equal((await ana.put('/api/grid-views/claims-grid', { name: 'Mine', state })).statusCode, 200);
  const replaced = { ...state, columns: [{ colId: 'status', width: 200 }] };
  assert.equal(
    (await ana.put('/api/grid-views/claims-grid', { name: 'Mine', state: replaced })).statusCode,
    200,
  );
  assert.equal((await ana.put('/api/grid-views/aging-grid', { name: 'Other grid', state })).statusCode, 200);
  const mine = (await ana.get('/api/grid-views/claims-grid')).json().items;
  assert.deepEqual(
    mine.map((v: { name: string }) => v.name),
    ['Mine'],
  );
  assert.equal(mine[0].state.columns[0].width, 200);
  assert.deepEqual((await ben.get('/api/grid-views/claims-grid')).json().items, []);
  assert.deepEqual((await partner.get('/api/grid-views/claims-grid')).json().items, []);
  assert.equal((await ben.delete('/api/grid-views/claims-grid/Mine')).statusCode, 404);
  assert.equal((await ana.get('/api/grid-views/claims-grid')).json().items.length, 1);
  assert.equal((await ana.put('/api/grid-views/Bad_Id', { name: 'x', state })).statusCode, 400);
  assert.equal((await ana.delete('/api/grid-views/claims-grid/Mine')).statusCode, 204);
  assert.deepEqual((await ana.get('/api/grid-views/claims-grid')).json().items, []);
});

const grid = {
  title: 'Claims',
  columns: [
    { key: 'claim_id', label: 'Claim' },
    { key: 'account_id', label: 'Partner ID' },
    { key: 'submitted_date', label: 'Submitted', type: 'date' },
    { key: 'lines', label: 'Lines', type: 'int' },
    { key: 'claimed_amount', label: 'Claimed', type: 'amount' },
    { key: 'currency', label: 'Currency' },
  ],
  rows: [
    {
      claim_id: '=HYPERLINK("http://x")',
      account_id: 'P-A',
      submitted_date: '2026-12-01',
      lines: 2,
      claimed_amount: '100.10',
      currency: 'EUR',
    },
    {
      claim_id: 'C-2',
      account_id: 'P-B',
      submitted_date: '2026-12-02',
      lines: 1,
      claimed_amount: '0.20',
      currency: 'EUR',
    },
    {
      claim_id: 'C-3',
      account_id: 'P-A',
      submitted_date: null,
      lines: 3,
      claimed_amount: '5',
      currency: 'USD',
    },
  ],
};

test('a grid as XLSX: title, headers in words, names beside ids, typed cells, totals per currency, no formulas', async () => {
  const res = await ana.post('/api/grid-export', { ...grid, format: 'xlsx' });
  assert.equal(res.statusCode, 200, res.body);
  assert.match(
    String(res.headers['content-disposition']),
    /attachment; filename="claims-\d{4}-\d{2}-\d{2}\.xlsx"/,
  );
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  assert.equal(sheet.getCell('A1').value, 'Claims');
  assert.deepEqual((sheet.getRow(3).values as unknown[]).slice(1), [
    'Claim',
    'Partner ID',
    'Account name',
    'Submitted',
    'Lines',
    'Claimed',
    'Currency',
  ]);
  assert.equal(sheet.getCell('A4').value, '\'=HYPERLINK("http://x")');
  assert.equal(sheet.getCell('C4').value, 'Account P-A');
  assert.ok(sheet.getCell('D4').value instanceof Date);
  assert.equal(sheet.getCell('E4').value, 2);
  assert.equal(sheet.getCell('F4').value, 100.1);
  assert.equal(sheet.getCell('A7').value, 'Total EUR');
  assert.equal(sheet.getCell('F7').value, 100.3);
  assert.equal(sheet.getCell('A8').value, 'Total USD');
  assert.equal(sheet.getCell('F8').value, 5);
});

test('a grid as CSV: headers in words, formulas neutralised; a partner gets names of its own accounts only', async () => {
  const res = await partner.post('/api/grid-export', { ...grid, format: 'csv' });
  assert.equal(res.statusCode, 200, res.body);
  const lines = res.body
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\n');
  assert.equal(lines[0], 'Claim,Partner ID,Account name,Submitted,Lines,Claimed,Currency');
  assert.equal(lines[1], `"'=HYPERLINK(""http://x"")",P-A,Account P-A,2026-12-01,2,100.10,EUR`);
  assert.equal(lines[2], 'C-2,P-B,,2026-12-02,1,0.20,EUR');
});

test('an amount column with a value that is not an amount is written as text, never refused', async () => {
  const res = await ana.post('/api/grid-export', {
    title: 'Odd',
    format: 'xlsx',
    columns: [{ key: 'amount', label: 'Amount', type: 'amount' }],
    rows: [{ amount: '1.00' }, { amount: 'n/a' }],
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(
    (await ana.post('/api/grid-export', { title: 'x', format: 'pdf', columns: [], rows: [] })).statusCode,
    400,
  );
});
