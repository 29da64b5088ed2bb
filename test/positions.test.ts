import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import pino from 'pino';
import type { Actor, PoolDb } from '../src/db/db.ts';
import {
  getPositionSeries,
  type InventoryDifference,
  listInventoryDifferences,
  listInventoryReports,
  listPositions,
  listSellIn,
  listSellOut,
  refreshInventoryMonitor,
} from '../src/modules/channel/index.ts';
import { jobDefinitions } from '../src/modules/platform/index.ts';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';
import { readWorkbook, sheetRecords, sheetTable } from './helpers/xlsx.ts';

/**
 * Hand-computed figures. D-1 / SKU-A:
 *   01-01 opening 10 → 10 · 01-05 sell-in 20 → 30 · 01-10 sell-out 8 + 2 → 20 (snapshot 20: matches)
 *   01-20 sell-in 15 → 35 · 01-25 sell-out 12 → 23 · 01-31 snapshot 25 → difference +2
 * D-1 / SKU-B: only a snapshot of 5 on 01-31 → computed 0, difference +5.
 * D-1-FR (child of D-1) / SKU-A: sell-in 4 on 01-03.
 * D-2 / SKU-A: sell-in 100 on 01-02, snapshot 90 on 01-31 → difference −10.
 */
let t: TestApp;
const log = pino({ level: 'silent' });

const partnerOf = (accounts: string[]): Actor => ({
  userId: null,
  name: `partner of ${accounts[0]}`,
  roles: ['partner'],
  accounts,
});

async function insertChannelData(db: PoolDb): Promise<void> {
  await db.query(
    `insert into products (sku, name, family, category, list_price, currency) values
       ('SKU-A', 'Laser A4', 'Laser', 'printers', '299.0000', 'EUR'),
       ('SKU-B', 'Toner XL', 'Laser', 'supplies', '59.9000', 'EUR')`,
  );
  await db.query(
    `insert into inventory_reports (account_id, sku, as_of_date, kind, on_hand_qty) values
       ('D-1', 'SKU-A', '2026-01-01', 'opening', 10),
       ('D-1', 'SKU-A', '2026-01-10', 'snapshot', 20),
       ('D-1', 'SKU-A', '2026-01-31', 'snapshot', 25),
       ('D-1', 'SKU-B', '2026-01-31', 'snapshot', 5),
       ('D-2', 'SKU-A', '2026-01-31', 'snapshot', 90)`,
  );
  await db.query(
    `insert into sell_in (account_id, invoice_id, line_no, invoice_date, sku, qty, unit_price, currency) values
       ('D-1', 'I-1', 1, '2026-01-05', 'SKU-A', 20, '250.0000', 'EUR'),
       ('D-1', 'I-2', 1, '2026-01-20', 'SKU-A', 15, '245.5000', 'EUR'),
       ('D-1-FR', 'I-3', 1, '2026-01-03', 'SKU-A', 4, '250.0000', 'EUR'),
       ('D-2', 'I-4', 1, '2026-01-02', 'SKU-A', 100, '240.0000', 'EUR')`,
  );
  await db.query(
    `insert into sell_out (account_id, sell_out_ref, sale_date, sku, qty, unit_price, currency, serial_numbers) values
       ('D-1', 'SO-1', '2026-01-10', 'SKU-A', 8, '320.0000', 'EUR', '{S1,S2}'),
       ('D-1', 'SO-2', '2026-01-10', 'SKU-A', 2, null, null, null),
       ('D-1', 'SO-3', '2026-01-25', 'SKU-A', 12, '310.0000', 'EUR', null)`,
  );
}

before(async () => {
  t = await createTestApp();
  await addAccount(t.db, 'D-1');
  await addAccount(t.db, 'D-1-FR', { parent_account_id: 'D-1', country: 'FR' });
  await addAccount(t.db, 'D-2');
  await insertChannelData(t.db);
});

after(() => t.close());

describe('positions', () => {
  test('opening + sell-in − sell-out at several dates', async () => {
    const positionOn = async (asOf: string) =>
      (await listPositions(t.db, { account_id: 'D-1', sku: 'SKU-A', as_of: asOf }))[0]?.position;
    assert.equal(await positionOn('2025-12-31'), undefined);
    assert.equal(await positionOn('2026-01-01'), 10);
    assert.equal(await positionOn('2026-01-04'), 10);
    assert.equal(await positionOn('2026-01-05'), 30);
    assert.equal(await positionOn('2026-01-10'), 20);
    assert.equal(await positionOn('2026-01-20'), 35);
    assert.equal(await positionOn('2026-01-25'), 23);
    assert.equal(await positionOn('2026-06-30'), 23);
  });

  test('the summary: totals, the last snapshot and its difference, per account and SKU', async () => {
    const rows = await listPositions(t.db, { as_of: '2026-02-28' });
    assert.deepEqual(
      rows.map((r) => [
        r.account_id,
        r.sku,
        r.product_name,
        r.bought,
        r.sold,
        r.credited,
        r.position,
        r.last_snapshot_date,
        r.last_snapshot_qty,
        r.last_snapshot_difference,
      ]),
      [
        ['D-1', 'SKU-A', 'Laser A4', 45, 22, 0, 23, '2026-01-31', 25, 2],
        ['D-1', 'SKU-B', 'Toner XL', 0, 0, 0, 0, '2026-01-31', 5, 5],
        ['D-1-FR', 'SKU-A', 'Laser A4', 4, 0, 0, 4, null, null, null],
        ['D-2', 'SKU-A', 'Laser A4', 100, 0, 0, 100, '2026-01-31', 90, -10],
      ],
    );
    // Before the month-end snapshot, the last one is 01-10 and it matched.
    const mid = await listPositions(t.db, { account_id: 'D-1', sku: 'SKU-A', as_of: '2026-01-15' });
    assert.deepEqual(
      [mid[0]!.position, mid[0]!.last_snapshot_date, mid[0]!.last_snapshot_difference],
      [20, '2026-01-10', 0],
    );
  });

  test('an answer is kept and given again only while nothing it was read from has changed', async () => {
    const query = { account_id: 'D-2', as_of: '2026-02-28' };
    const first = await listPositions(t.db, query);
    assert.equal(first[0]!.position, 100);
    assert.equal(await listPositions(t.db, query), first, 'the same answer, kept');
    await t.db.query(
      `insert into sell_out (account_id, sell_out_ref, sale_date, sku, qty) values ('D-2', 'SO-9', '2026-01-15', 'SKU-A', 30)`,
    );
    try {
      const after = await listPositions(t.db, query);
      assert.notEqual(after, first);
      assert.deepEqual([after[0]!.position, after[0]!.sold], [70, 30]);
      const partner = await listPositions(t.db.as(partnerOf(['D-2'])), query);
      assert.deepEqual([partner[0]!.position, partner[0]!.sold], [70, 30]);
      await t.db.query(`update products set name = 'Laser A4 plus' where sku = 'SKU-A'`);
      assert.equal((await listPositions(t.db, query))[0]!.product_name, 'Laser A4 plus');
    } finally {
      await t.db.query(`delete from sell_out where sell_out_ref = 'SO-9'`);
      await t.db.query(`update products set name = 'Laser A4' where sku = 'SKU-A'`);
    }
    const back = await listPositions(t.db, query);
    assert.deepEqual([back[0]!.position, back[0]!.product_name], [100, 'Laser A4']);
  });

  test('the series of one account and SKU: every date with activity', async () => {
    const series = await getPositionSeries(t.db, 'D-1', 'SKU-A');
    assert.deepEqual(
      series.map((p) => [
        p.date,
        p.opening,
        p.sell_in,
        p.sell_out,
        p.credited,
        p.position,
        p.snapshot_qty,
        p.difference,
      ]),
      [
        ['2026-01-01', 10, 0, 0, 0, 10, null, null],
        ['2026-01-05', 0, 20, 0, 0, 30, null, null],
        ['2026-01-10', 0, 0, 10, 0, 20, 20, 0],
        ['2026-01-20', 0, 15, 0, 0, 35, null, null],
        ['2026-01-25', 0, 0, 12, 0, 23, null, null],
        ['2026-01-31', 0, 0, 0, 0, 23, 25, 2],
      ],
    );
    const narrowed = await getPositionSeries(t.db, 'D-1', 'SKU-A', { from: '2026-01-15', to: '2026-01-25' });
    assert.deepEqual(
      narrowed.map((p) => [p.date, p.position]),
      [
        ['2026-01-20', 35],
        ['2026-01-25', 23],
      ],
    );
    assert.deepEqual(await getPositionSeries(t.db, 'D-1', 'NO-SUCH-SKU'), []);
    await assert.rejects(getPositionSeries(t.db, 'NOPE', 'SKU-A'), { code: 'not_found' });
  });
});

describe('the account monitoring log', () => {
  const logOf = async (status?: 'open' | 'resolved'): Promise<InventoryDifference[]> =>
    (await listInventoryDifferences(t.db, { status, limit: 1000 })).items;
  const brief = (d: InventoryDifference) => [
    d.account_id,
    d.sku,
    d.snapshot_date,
    d.reported_qty,
    d.computed_qty,
    d.difference,
    d.status,
    d.resolution,
  ];

  test('a refresh logs every snapshot that differs from the computed position', async () => {
    const counts = await refreshInventoryMonitor(t.db);
    assert.deepEqual(counts, { snapshots: 4, differences: 3, detected: 3, unchanged: 0, resolved: 0 });
    assert.deepEqual((await logOf()).map(brief), [
      ['D-1', 'SKU-A', '2026-01-31', 25, 23, 2, 'open', null],
      ['D-1', 'SKU-B', '2026-01-31', 5, 0, 5, 'open', null],
      ['D-2', 'SKU-A', '2026-01-31', 90, 100, -10, 'open', null],
    ]);
  });

  test('running it again changes nothing but the time it was last checked', async () => {
    const before = await logOf();
    const counts = await refreshInventoryMonitor(t.db);
    assert.deepEqual(counts, { snapshots: 4, differences: 3, detected: 0, unchanged: 3, resolved: 0 });
    const after = await logOf();
    assert.deepEqual(after.map(brief), before.map(brief));
    after.forEach((row, i) => {
      assert.equal(row.difference_id, before[i]!.difference_id);
      assert.deepEqual(row.first_detected_at, before[i]!.first_detected_at);
      assert.ok(row.last_checked_at > before[i]!.last_checked_at);
    });
  });

  test('a corrected snapshot resolves the difference (matched); other accounts are left alone', async () => {
    const d2Before = (await listInventoryDifferences(t.db, { account_id: 'D-2' })).items[0]!;
    await t.db.query(
      `update inventory_reports set on_hand_qty = 23
       where account_id = 'D-1' and sku = 'SKU-A' and as_of_date = '2026-01-31' and kind = 'snapshot'`,
    );
    const counts = await refreshInventoryMonitor(t.db, ['D-1']);
    assert.deepEqual(counts, { snapshots: 3, differences: 1, detected: 0, unchanged: 1, resolved: 1 });
    const resolved = await logOf('resolved');
    assert.deepEqual(resolved.map(brief), [['D-1', 'SKU-A', '2026-01-31', 25, 23, 2, 'resolved', 'matched']]);
    assert.ok(resolved[0]!.resolved_at);
    const d2After = (await listInventoryDifferences(t.db, { account_id: 'D-2' })).items[0]!;
    assert.deepEqual(d2After.last_checked_at, d2Before.last_checked_at);
  });

  test('changed figures resolve the old entry and log a new one, keeping the history', async () => {
    await t.db.query(
      `insert into sell_in (account_id, invoice_id, line_no, invoice_date, sku, qty, unit_price, currency)
       values ('D-1', 'I-5', 1, '2026-01-15', 'SKU-B', 3, '50.0000', 'EUR')`,
    );
    const counts = await refreshInventoryMonitor(t.db, ['D-1']);
    assert.deepEqual(counts, { snapshots: 3, differences: 1, detected: 1, unchanged: 0, resolved: 1 });
    const history = (await listInventoryDifferences(t.db, { account_id: 'D-1', sku: 'SKU-B' })).items;
    assert.deepEqual(history.map(brief), [
      ['D-1', 'SKU-B', '2026-01-31', 5, 3, 2, 'open', null],
      ['D-1', 'SKU-B', '2026-01-31', 5, 0, 5, 'resolved', 'changed'],
    ]);
  });

  test('a removed snapshot resolves its difference', async () => {
    await t.db.query(`delete from inventory_reports where account_id = 'D-2' and kind = 'snapshot'`);
    const counts = await refreshInventoryMonitor(t.db, ['D-2']);
    assert.deepEqual(counts, { snapshots: 0, differences: 0, detected: 0, unchanged: 0, resolved: 1 });
    const d2 = (await listInventoryDifferences(t.db, { account_id: 'D-2' })).items;
    assert.deepEqual(d2.map(brief), [
      ['D-2', 'SKU-A', '2026-01-31', 90, 100, -10, 'resolved', 'snapshot_removed'],
    ]);
  });

  test('filters: status, SKU, snapshot dates; paging with a total', async () => {
    const open = await listInventoryDifferences(t.db, { status: 'open' });
    assert.equal(open.total, 1);
    const page = await listInventoryDifferences(t.db, { limit: 2, offset: 2 });
    assert.equal(page.total, 4);
    assert.equal(page.items.length, 2);
    assert.equal((await listInventoryDifferences(t.db, { to: '2026-01-30' })).total, 0);
    assert.equal((await listInventoryDifferences(t.db, { from: '2026-01-31', sku: 'SKU-A' })).total, 2);
  });

  test('the daily job refreshes through the same function', async () => {
    const job = jobDefinitions().find((d) => d.name === 'channel.refresh-inventory-monitor');
    assert.ok(job?.schedule, 'scheduled');
    const counts = await job.handler({ db: t.db, log, signal: new AbortController().signal }, {});
    assert.deepEqual(counts, { snapshots: 3, differences: 1, detected: 0, unchanged: 1, resolved: 0 });
    const some = await job.handler(
      { db: t.db, log, signal: new AbortController().signal },
      { account_ids: ['D-2'] },
    );
    assert.deepEqual(some, { snapshots: 0, differences: 0, detected: 0, unchanged: 0, resolved: 0 });
  });
});

describe('partner isolation', () => {
  const d2 = () => t.db.as(partnerOf(['D-2']));
  const d1 = () => t.db.as(partnerOf(['D-1', 'D-1-FR']));

  test('positions, series and the log show only the partner’s own organisation', async () => {
    assert.deepEqual(
      (await listPositions(d1(), { as_of: '2026-02-28' })).map((r) => `${r.account_id}/${r.sku}`),
      ['D-1/SKU-A', 'D-1/SKU-B', 'D-1-FR/SKU-A'],
    );
    assert.deepEqual(await listPositions(d2(), { account_id: 'D-1', as_of: '2026-02-28' }), []);
    await assert.rejects(getPositionSeries(d2(), 'D-1', 'SKU-A'), { code: 'not_found' });
    assert.equal((await getPositionSeries(d1(), 'D-1-FR', 'SKU-A')).length, 1);
    const log = await listInventoryDifferences(d2(), { limit: 1000 });
    assert.ok(log.items.every((r) => r.account_id === 'D-2'));
    assert.equal(log.total, log.items.length);
  });

  test('channel data lists never contain another organisation’s rows', async () => {
    for (const list of [listSellIn, listSellOut, listInventoryReports]) {
      const mine = await list(d2(), { limit: 1000 });
      assert.ok(
        mine.items.every((r) => r.account_id === 'D-2'),
        list.name,
      );
      assert.equal((await list(d2(), { account_id: 'D-1' })).total, 0, list.name);
    }
    const sellIn = await listSellIn(d1(), {});
    assert.deepEqual(
      sellIn.items.map((r) => r.invoice_id),
      ['I-2', 'I-5', 'I-1', 'I-3'],
    );
  });

  test('a refresh under a partner’s scope touches its own accounts only', async () => {
    const before = (await listInventoryDifferences(t.db, { account_id: 'D-1', status: 'open' })).items[0]!;
    const counts = await refreshInventoryMonitor(d2());
    assert.deepEqual(counts, { snapshots: 0, differences: 0, detected: 0, unchanged: 0, resolved: 0 });
    const after = (await listInventoryDifferences(t.db, { account_id: 'D-1', status: 'open' })).items[0]!;
    assert.deepEqual(after.last_checked_at, before.last_checked_at);
    // Naming another organisation's account changes nothing either.
    assert.equal((await refreshInventoryMonitor(d2(), ['D-1'])).snapshots, 0);
  });
});

describe('the API', () => {
  let admin: Browser;
  let partner2: Browser;

  before(async () => {
    const a = await addUser(t.db, 'analyst@corp.test', ['rebate_analyst']);
    const p = await addUser(t.db, 'dora@d2.test', ['partner'], 'D-2');
    admin = await Browser.signedIn(t.app, a.email, a.password);
    partner2 = await Browser.signedIn(t.app, p.email, p.password);
  });

  test('positions, series with its log entries, differences, channel data', async () => {
    const positions = await admin.get('/api/positions?account_id=D-1&as_of=2026-02-28');
    assert.equal(positions.statusCode, 200, positions.body);
    assert.equal(positions.json().items.length, 2);
    const pair = await admin.get('/api/positions/D-1/SKU-B');
    assert.equal(pair.statusCode, 200, pair.body);
    assert.equal(pair.json().series.at(-1).difference, 2);
    assert.equal(pair.json().differences.length, 2);
    const diffs = await admin.get('/api/inventory-differences?status=open');
    assert.equal(diffs.json().total, 1);
    const sellOut = await admin.get('/api/sell-out?account_id=D-1&from=2026-01-10&to=2026-01-10&limit=1');
    assert.deepEqual(
      [sellOut.json().total, sellOut.json().items[0].sell_out_ref, sellOut.json().items[0].serial_numbers],
      [2, 'SO-1', ['S1', 'S2']],
    );
    const inventory = await admin.get('/api/inventory?kind=opening');
    assert.deepEqual(
      inventory.json().items.map((r: { account_id: string }) => r.account_id),
      ['D-1'],
    );
    assert.equal((await admin.get('/api/positions?as_of=2026-02-31')).statusCode, 400);
  });

  test('the XLSX export is a readable workbook with positions and differences', async () => {
    const res = await admin.get('/api/positions/export.xlsx?account_id=D-1&as_of=2026-02-28');
    assert.equal(res.statusCode, 200, res.body);
    assert.match(
      String(res.headers['content-disposition']),
      /^attachment; filename="inventory-positions-D-1-2026-02-28\.xlsx"$/,
    );
    const workbook = await readWorkbook(res.rawPayload);
    assert.deepEqual(
      workbook.worksheets.map((w) => w.name),
      ['positions', 'differences'],
    );
    const positions = sheetTable(workbook.getWorksheet('positions')!);
    assert.match(positions.title, /^Inventory positions of .* — positions$/);
    const rows = sheetRecords(workbook.getWorksheet('positions')!);
    assert.equal(rows.length, 2);
    const row = (n: number) => rows[n - 2]!;
    assert.equal(row(2)['Account ID'], 'D-1');
    assert.ok(row(2)['Account name'], 'the name beside the id');
    assert.deepEqual(
      [
        row(2).SKU,
        row(2).Bought,
        row(2).Sold,
        row(2).Position,
        row(2)['Last snapshot qty'],
        row(2)['Last snapshot difference'],
      ],
      ['SKU-A', 45, 22, 23, 23, 0],
    );
    assert.deepEqual(row(2)['Last snapshot date'], new Date('2026-01-31T00:00:00Z'));
    assert.equal(sheetTable(workbook.getWorksheet('differences')!).rows.length, 3);
  });

  test('a partner of another organisation gets 404 for D-1 and never sees its rows', async () => {
    assert.equal((await partner2.get('/api/positions/D-1/SKU-A')).statusCode, 404);
    assert.equal((await partner2.get('/api/positions/export.xlsx?account_id=D-1')).statusCode, 404);
    assert.deepEqual((await partner2.get('/api/positions?account_id=D-1')).json().items, []);
    for (const path of ['/api/inventory-differences', '/api/sell-in', '/api/sell-out', '/api/inventory']) {
      const items = (await partner2.get(path)).json().items as { account_id: string }[];
      assert.ok(
        items.every((r) => r.account_id === 'D-2'),
        path,
      );
    }
    const own = await partner2.get('/api/positions/export.xlsx');
    assert.equal(own.statusCode, 200);
  });
});

describe('credited units', () => {
  test('units credited by claims lower the position (the view the claims capability redefines)', async () => {
    // Stand in for the claims capability: three units credited for a sale on 01-25.
    const owner = new pg.Client({ connectionString: t.tdb.ownerUrl });
    await owner.connect();
    try {
      await owner.query(
        `create or replace view credited_units with (security_invoker = true) as
           select account_id, sku, sale_date, qty
           from (values ('D-1'::text, 'SKU-A'::text, date '2026-01-25', 3::bigint)) as v (account_id, sku, sale_date, qty)
           -- The claims capability reads tables under row security; a literal list has to filter itself.
           where clearhouse_visible(account_id)`,
      );
    } finally {
      await owner.end();
    }
    const [row] = await listPositions(t.db, { account_id: 'D-1', sku: 'SKU-A', as_of: '2026-02-28' });
    assert.deepEqual([row!.credited, row!.position, row!.last_snapshot_difference], [3, 20, 3]);
    const series = await getPositionSeries(t.db, 'D-1', 'SKU-A', { from: '2026-01-25' });
    assert.deepEqual(
      series.map((p) => [p.date, p.sell_out, p.credited, p.position, p.difference]),
      [
        ['2026-01-25', 12, 3, 20, null],
        ['2026-01-31', 0, 0, 20, 3],
      ],
    );
    const counts = await refreshInventoryMonitor(t.db, ['D-1']);
    assert.equal(counts.detected, 1);
    // Row security still decides what a partner sees through the redefined view.
    assert.deepEqual(
      await listPositions(t.db.as(partnerOf(['D-2'])), { sku: 'SKU-A', as_of: '2026-02-28' }),
      [
        {
          account_id: 'D-2',
          sku: 'SKU-A',
          product_name: 'Laser A4',
          as_of: '2026-02-28',
          position: 100,
          bought: 100,
          sold: 0,
          credited: 0,
          last_snapshot_date: null,
          last_snapshot_qty: null,
          last_snapshot_difference: null,
          open_differences: 0,
        },
      ],
    );
  });
});
