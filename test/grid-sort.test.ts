import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Decimal } from 'decimal.js';
import { addUser, Browser, createTestApp, loadFiles, type TestApp } from './helpers/app.ts';
import { readWorkbook, sheetRecords } from './helpers/xlsx.ts';

/**
 * The grids whose rows the server pages sort (`order`) and filter (`filters`) over the whole list, never over
 * the page shown: for each paged list, the pages in a column's order are the whole list in that order, ties
 * broken by the list's key (no row twice, none missing); a column filter combines with the list's own filters;
 * a column the list does not take is refused with a 400 naming it; a partner's lists stay its own.
 */

type Row = Record<string, unknown>;

const programs = JSON.stringify([
  {
    program_id: 'SO',
    name: 'Sell-out',
    type: 'sell_out',
    currency: 'EUR',
    country: 'DE',
    partners: ['P-1', 'P-2', 'P-3'],
    start_date: '2025-01-01',
    end_date: '2027-12-31',
    claim_window_days: 365,
    per_unit_amount: '10.00',
  },
]);

// Eleven sell-out lines of P-1 and four of P-2, with repeated quantities (ties) and several currencies.
const sellOut = [
  'account_id,sell_out_ref,sale_date,sku,qty,unit_price,currency,end_customer_id,partner_invoice_no,serial_numbers',
  ...Array.from({ length: 11 }, (_, i) => {
    const qty = [5, 2, 9, 2, 7, 9, 1, 4, 9, 3, 6][i];
    return `P-1,SO-${String(i + 1).padStart(2, '0')},2026-03-${String(i + 1).padStart(2, '0')},${i % 2 ? 'X-100' : 'X-200'},${qty},10.00,${i % 3 ? 'EUR' : 'USD'},,PI-${i},`;
  }),
  ...Array.from(
    { length: 4 },
    (_, i) => `P-2,SO-${i + 1},2026-03-0${i + 1},X-100,${20 + i},10.00,EUR,,PI-2${i},`,
  ),
].join('\n');

const claimAmounts = ['120.00', '15.50', '990.10', '15.50', '300.00', '2.00', '450.25', '15.50', '88.00'];

describe('paged grids sort and filter in the database', () => {
  let t: TestApp;
  let desk: Browser;
  let partner: Browser;

  before(async () => {
    t = await createTestApp();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-grid-'));
    try {
      await loadFiles(t.db, dir, [
        [
          'accounts.csv',
          'account_id,name,country,currency\nP-1,Northwind,DE,EUR\nP-2,Contoso,DE,EUR\nP-3,Alpine,DE,EUR',
        ],
        [
          'products.csv',
          'sku,name,category,list_price,currency\nX-100,Mono laser,laser-mono,199.00,EUR\nX-200,Colour laser,laser-colour,299.00,EUR',
        ],
        ['programs.json', programs],
        [
          'sell_in.csv',
          `invoice_id,line_no,account_id,invoice_date,sku,qty,unit_price,currency\n${Array.from(
            { length: 7 },
            (_, i) =>
              `INV-${i + 1},1,P-${(i % 3) + 1},2026-02-0${i + 1},X-${i % 2 ? 1 : 2}00,${[50, 5, 80, 5, 20, 70, 5][i]},150.00,EUR`,
          ).join('\n')}`,
        ],
        ['sell_out.csv', sellOut],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    await t.db.query(
      `insert into inventory_reports (account_id, sku, as_of_date, kind, on_hand_qty)
       select 'P-' || (1 + n % 3), case when n % 2 = 0 then 'X-100' else 'X-200' end,
         date '2026-01-01' + n, case when n < 3 then 'opening' else 'snapshot' end, (n * 7) % 5
       from generate_series(0, 8) n`,
    );
    // Claims, their lines (the claimed amounts) and a payment for each (two batches).
    await t.db.query(
      `insert into claims (account_id, claim_id, program_id, submitted_date, currency, status, program_version)
       select 'P-' || (1 + n % 3), 'C-' || lpad(n::text, 2, '0'), 'SO', date '2026-04-01' + n, 'EUR',
         case when n % 2 = 0 then 'approved' else 'validated' end, 1
       from generate_series(0, 8) n`,
    );
    await t.db.query(
      `insert into claim_line_inputs (account_id, claim_id, line_no, claimed_amount)
       select 'P-' || (1 + n % 3), 'C-' || lpad(n::text, 2, '0'), 1, ($1::text[])[n + 1]::numeric
       from generate_series(0, 8) n`,
      [claimAmounts],
    );
    await t.db.query(
      `insert into payment_batches (batch_id, method, currency, status, as_of)
       values ('B-1', 'credit_memo', 'EUR', 'final', '2026-05-01'), ('B-2', 'ach', 'EUR', 'draft', '2026-05-02')`,
    );
    await t.db.query(
      `insert into settlement_payments (account_id, claim_id, batch_id, method, currency, amount, as_of)
       select 'P-' || (1 + n % 3), 'C-' || lpad(n::text, 2, '0'), case when n < 5 then 'B-1' else 'B-2' end,
         case when n < 5 then 'credit_memo' else 'ach' end, 'EUR', ($1::text[])[n + 1]::numeric,
         case when n < 5 then date '2026-05-01' else date '2026-05-02' end
       from generate_series(0, 8) n`,
      [claimAmounts],
    );
    await t.db.query(
      `insert into deductions (account_id, deduction_id, amount, currency, deduction_date, reference)
       select 'P-' || (1 + n % 3), 'D-' || lpad(n::text, 2, '0'), ($1::text[])[n + 1]::numeric, 'EUR',
         date '2026-03-01' + n, case when n % 2 = 0 then 'promo' else 'freight' end
       from generate_series(0, 8) n`,
      [claimAmounts],
    );
    const deskUser = await addUser(t.db, 'analyst@grid.test', ['rebate_analyst']);
    const partnerUser = await addUser(t.db, 'partner@grid.test', ['partner'], 'P-1');
    desk = await Browser.signedIn(t.app, deskUser.email, deskUser.password);
    partner = await Browser.signedIn(t.app, partnerUser.email, partnerUser.password);
  });

  after(() => t.close());

  const get = async (b: Browser, url: string): Promise<{ items: Row[]; total: number }> => {
    const res = await b.get(url);
    assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
    return res.json();
  };
  const q = (base: string, params: Record<string, string | number>) =>
    `${base}${base.includes('?') ? '&' : '?'}${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]))}`;

  /** Every page of `url` in `order`, `size` at a time. */
  async function pages(b: Browser, url: string, order: string, size: number, filters?: Row) {
    const all: Row[] = [];
    let total = 0;
    for (let offset = 0; offset === 0 || offset < total; offset += size) {
      const page = await get(
        b,
        q(url, { order, limit: size, offset, ...(filters ? { filters: JSON.stringify(filters) } : {}) }),
      );
      total = page.total;
      assert.ok(page.items.length <= size);
      all.push(...page.items);
      if (page.items.length === 0) break;
    }
    return { all, total };
  }

  const compare = (value: (r: Row) => unknown) => (a: Row, b: Row) => {
    const x = value(a);
    const y = value(b);
    if (x === y) return 0;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    if (typeof x === 'string' && /^-?\d+(\.\d+)?$/.test(x))
      return new Decimal(x).cmp(new Decimal(y as string));
    return (x as number | string) < (y as number | string) ? -1 : 1;
  };

  /**
   * The pages in `column` order are the whole list sorted by that column (descending, then ascending), every
   * row once; the first row of the first page is the largest of the whole list, not of a page.
   */
  async function sortsAcrossPages(
    b: Browser,
    url: string,
    column: string,
    value: (r: Row) => unknown,
    key: (r: Row) => string,
  ) {
    const whole = await get(b, q(url, { limit: 500 }));
    assert.ok(whole.total >= 5, `${url} has rows to sort`);
    for (const direction of ['desc', 'asc'] as const) {
      const { all, total } = await pages(b, url, `${column}:${direction}`, 2);
      assert.equal(total, whole.total, `${url} ${column}: total`);
      assert.equal(all.length, whole.total, `${url} ${column}: every row on a page`);
      assert.equal(new Set(all.map(key)).size, all.length, `${url} ${column}: no row twice`);
      const sorted = [...all].sort(compare(value));
      if (direction === 'desc') sorted.reverse();
      // Equal values may stand in either order here; nulls last either way.
      const nullsLast = (rows: Row[]) => [
        ...rows.filter((r) => value(r) !== null && value(r) !== undefined),
        ...rows.filter((r) => value(r) === null || value(r) === undefined),
      ];
      assert.deepEqual(all.map(value), nullsLast(sorted).map(value), `${url} ${column} ${direction}`);
      // The same order asked twice gives the same pages (ties broken by the key).
      const again = await pages(b, url, `${column}:${direction}`, 3);
      assert.deepEqual(again.all.map(key), all.map(key), `${url} ${column} ${direction}: stable`);
    }
  }

  async function refusesUnknown(b: Browser, url: string) {
    for (const params of [
      { order: 'no_such_column:asc' },
      { filters: JSON.stringify({ no_such_column: 'x' }) },
    ] as Record<string, string>[]) {
      const res = await b.get(q(url, params));
      assert.equal(res.statusCode, 400, `${url} ${JSON.stringify(params)}: ${res.body}`);
      assert.match(res.body, /no_such_column/, 'the answer names the column');
    }
  }

  test('sell-out: qty and date sort across pages; product and currency filters combine with the account', async () => {
    await sortsAcrossPages(
      desk,
      '/api/sell-out',
      'qty',
      (r) => r.qty,
      (r) => `${r.account_id}/${r.sell_out_ref}`,
    );
    await sortsAcrossPages(
      desk,
      '/api/sell-out',
      'sale_date',
      (r) => r.sale_date,
      (r) => `${r.account_id}/${r.sell_out_ref}`,
    );
    const biggest = await get(desk, q('/api/sell-out', { order: 'qty:desc', limit: 1 }));
    assert.equal(biggest.items[0]!.qty, 23, 'the largest of all, not of the first page');
    const { all, total } = await pages(desk, q('/api/sell-out', { account_id: 'P-1' }), 'qty:desc', 2, {
      product_name: 'colour',
      currency: 'eur',
    });
    assert.ok(total > 0 && total === all.length);
    assert.ok(all.every((r) => r.account_id === 'P-1' && r.sku === 'X-200' && r.currency === 'EUR'));
    const expected = sellOut
      .split('\n')
      .slice(1)
      .map((l) => l.split(','))
      .filter((c) => c[0] === 'P-1' && c[3] === 'X-200' && c[6] === 'EUR');
    assert.equal(total, expected.length);
    await refusesUnknown(desk, '/api/sell-out');
  });

  test('sell-in and inventory sort across pages and filter', async () => {
    await sortsAcrossPages(
      desk,
      '/api/sell-in',
      'qty',
      (r) => r.qty,
      (r) => `${r.invoice_id}/${r.line_no}`,
    );
    await sortsAcrossPages(
      desk,
      '/api/sell-in',
      'account_id',
      (r) => r.account_id,
      (r) => `${r.invoice_id}/${r.line_no}`,
    );
    await sortsAcrossPages(
      desk,
      '/api/inventory',
      'on_hand_qty',
      (r) => r.on_hand_qty,
      (r) => `${r.account_id}/${r.sku}/${r.as_of_date}/${r.kind}`,
    );
    const snapshots = await get(
      desk,
      q('/api/inventory', { kind: 'snapshot', filters: JSON.stringify({ account_id: '2' }) }),
    );
    assert.ok(snapshots.total > 0);
    assert.ok(snapshots.items.every((r) => r.kind === 'snapshot' && r.account_id === 'P-2'));
    await refusesUnknown(desk, '/api/sell-in');
    await refusesUnknown(desk, '/api/inventory');
  });

  test('positions sort and filter over every position, not the page', async () => {
    await sortsAcrossPages(
      desk,
      '/api/positions',
      'sold',
      (r) => r.sold,
      (r) => `${r.account_id}/${r.sku}`,
    );
    await sortsAcrossPages(
      desk,
      '/api/positions',
      'position',
      (r) => r.position,
      (r) => `${r.account_id}/${r.sku}`,
    );
    const colour = await get(
      desk,
      q('/api/positions', { filters: JSON.stringify({ product_name: 'colour' }) }),
    );
    assert.ok(colour.total > 0 && colour.items.every((r) => r.sku === 'X-200'));
    await refusesUnknown(desk, '/api/positions');
  });

  test('the claim log sorts by amount and SLA across pages; column filters combine with its filters', async () => {
    await sortsAcrossPages(
      desk,
      '/api/claim-log',
      'claimed_amount',
      (r) => r.claimed_amount,
      (r) => `${r.account_id}/${r.claim_id}`,
    );
    await sortsAcrossPages(
      desk,
      '/api/claim-log',
      'partner',
      (r) => r.partner_name,
      (r) => `${r.account_id}/${r.claim_id}`,
    );
    await sortsAcrossPages(
      desk,
      '/api/claim-log',
      'age_business_days',
      (r) => r.age_business_days,
      (r) => `${r.account_id}/${r.claim_id}`,
    );
    // The due date the page shows (worked out per row in TypeScript) is the order SQL sorted by.
    await sortsAcrossPages(
      desk,
      '/api/claim-log',
      'due_date',
      (r) => r.due_date,
      (r) => `${r.account_id}/${r.claim_id}`,
    );
    const top = await get(desk, q('/api/claim-log', { order: 'claimed_amount:desc', limit: 2 }));
    assert.deepEqual(
      top.items.map((r) => r.claimed_amount),
      ['990.10', '450.25'],
    );
    const approvedNorth = await get(
      desk,
      q('/api/claim-log', {
        status: 'approved',
        filters: JSON.stringify({ partner: 'north' }),
        order: 'claim_id:asc',
      }),
    );
    assert.deepEqual(
      approvedNorth.items.map((r) => r.claim_id),
      ['C-00', 'C-06'],
    );
    assert.equal(approvedNorth.total, 2);
    // The export has the same rows in the same order: every claim matching, sorted by the grid's column.
    const exported = async (params: Record<string, string>) => {
      const res = await desk.get(q('/api/claim-log/export.xlsx', params));
      assert.equal(res.statusCode, 200, res.body);
      const ws = (await readWorkbook(res.rawPayload)).worksheets[0]!;
      return sheetRecords(ws).map((r) => r.Claim);
    };
    assert.deepEqual(
      await exported({
        status: 'approved',
        filters: JSON.stringify({ partner: 'north' }),
        order: 'claim_id:desc',
      }),
      ['C-06', 'C-00'],
    );
    const byAmount = await get(desk, q('/api/claim-log', { order: 'claimed_amount:asc', limit: 100 }));
    assert.deepEqual(
      await exported({ order: 'claimed_amount:asc' }),
      byAmount.items.map((r) => r.claim_id),
    );
    await refusesUnknown(desk, '/api/claim-log');
    const due = await desk.get(q('/api/claim-log/export.xlsx', { order: 'nope:asc' }));
    assert.equal(due.statusCode, 400);
  });

  test('deductions: amount and account sort across pages; a column filter combines with the status filter', async () => {
    await sortsAcrossPages(
      desk,
      '/api/deductions',
      'amount',
      (r) => r.amount,
      (r) => String(r.deduction_id),
    );
    await sortsAcrossPages(
      desk,
      '/api/deductions',
      'account',
      (r) => r.account_name,
      (r) => String(r.deduction_id),
    );
    const promo = await get(
      desk,
      q('/api/deductions', { status: 'open', filters: JSON.stringify({ reference: 'PROMO' }) }),
    );
    assert.equal(promo.total, 5);
    assert.ok(promo.items.every((r) => r.reference === 'promo' && r.status === 'open'));
    await refusesUnknown(desk, '/api/deductions');
    // The assignee is the desk's: a partner may not sort by it.
    const res = await partner.get('/api/deductions?order=assignee:asc');
    assert.equal(res.statusCode, 400);
  });

  test('payments: amount sorts across pages for the desk and for a partner, who sees only its own', async () => {
    await sortsAcrossPages(
      desk,
      '/api/settlement/payments',
      'amount',
      (r) => r.amount,
      (r) => `${r.batch_id}/${r.account_id}/${r.claim_id}`,
    );
    await sortsAcrossPages(
      desk,
      '/api/settlement/payments',
      'batch_status',
      (r) => r.batch_status,
      (r) => `${r.batch_id}/${r.account_id}/${r.claim_id}`,
    );
    const own = await get(partner, q('/api/settlement/payments', { order: 'amount:desc', limit: 1 }));
    assert.equal(own.total, 3, 'a partner counts its own payments only');
    assert.deepEqual(
      own.items.map((r) => [r.account_id, r.amount]),
      [['P-1', '450.25']],
    );
    const ach = await get(
      desk,
      q('/api/settlement/payments', { account_id: 'P-3', filters: JSON.stringify({ method: 'ach' }) }),
    );
    assert.deepEqual(
      ach.items.map((r) => r.claim_id),
      ['C-05', 'C-08'],
      'newest first, then by claim',
    );
    await refusesUnknown(desk, '/api/settlement/payments');
    assert.equal((await partner.get('/api/settlement/payments?order=batch_status:asc')).statusCode, 400);
  });

  test('the import history sorts and filters over every import', async () => {
    await sortsAcrossPages(
      desk,
      '/api/imports',
      'file_name',
      (r) => r.file_name,
      (r) => String(r.import_id),
    );
    await sortsAcrossPages(
      desk,
      '/api/imports',
      'rows_total',
      (r) => r.rows_total,
      (r) => String(r.import_id),
    );
    const sales = await get(
      desk,
      q('/api/imports', { status: 'loaded', filters: JSON.stringify({ file_name: 'sell' }) }),
    );
    assert.deepEqual(sales.items.map((r) => r.file_name).sort(), ['sell_in.csv', 'sell_out.csv']);
    assert.equal(sales.total, 2);
    await refusesUnknown(desk, '/api/imports');
  });
});
