import assert from 'node:assert/strict';
import { refreshInventoryMonitor } from '../../src/modules/channel/index.ts';
import type { CaseModule, Check } from './types.ts';

const orgA = ['P-A', 'P-A-DE'];

/** 200, and the list holds rows of organisation A (parent and child account) and none of B's. */
const onlyOrgA =
  (key = 'items'): Check =>
  (res) => {
    assert.equal(res.statusCode, 200, res.body);
    const accounts = new Set((res.json()[key] as { account_id: string }[]).map((r) => r.account_id));
    assert.ok(!accounts.has('P-B'), `B's rows leaked: ${[...accounts].join(', ')}`);
    assert.ok(accounts.size > 0, 'organisation A has rows of its own');
    for (const a of accounts) assert.ok(orgA.includes(a), a);
  };

const status =
  (code: number): Check =>
  (res) =>
    assert.equal(res.statusCode, code, res.body);

export const channelCases: CaseModule = {
  async setup({ t }) {
    const db = t.db;
    await db.query(
      `insert into products (sku, name, currency) values ('CH-ISO-1', 'Isolation printer', 'EUR')
       on conflict (sku) do nothing`,
    );
    await db.query(
      `insert into sell_in (account_id, invoice_id, line_no, invoice_date, sku, qty, unit_price, currency) values
         ('P-A', 'CH-ISO-INV-A', 1, '2026-02-01', 'CH-ISO-1', 10, '100.0000', 'EUR'),
         ('P-A-DE', 'CH-ISO-INV-ADE', 1, '2026-02-01', 'CH-ISO-1', 5, '100.0000', 'EUR'),
         ('P-B', 'CH-ISO-INV-B', 1, '2026-02-01', 'CH-ISO-1', 7, '100.0000', 'EUR')`,
    );
    await db.query(
      `insert into sell_out (account_id, sell_out_ref, sale_date, sku, qty) values
         ('P-A', 'CH-ISO-SO-A', '2026-02-03', 'CH-ISO-1', 2),
         ('P-A-DE', 'CH-ISO-SO-ADE', '2026-02-03', 'CH-ISO-1', 1),
         ('P-B', 'CH-ISO-SO-B', '2026-02-03', 'CH-ISO-1', 3)`,
    );
    // Every snapshot differs from the computed position, so each account has a log entry.
    await db.query(
      `insert into inventory_reports (account_id, sku, as_of_date, kind, on_hand_qty) values
         ('P-A', 'CH-ISO-1', '2026-02-05', 'snapshot', 9),
         ('P-A-DE', 'CH-ISO-1', '2026-02-05', 'snapshot', 3),
         ('P-B', 'CH-ISO-1', '2026-02-05', 'snapshot', 1)`,
    );
    await refreshInventoryMonitor(db, ['P-A', 'P-A-DE', 'P-B']);
  },
  cases: ({ partnerA }) => [
    {
      route: 'GET /api/positions',
      call: () => partnerA.get('/api/positions?as_of=2026-02-28'),
      expect: onlyOrgA(),
    },
    {
      route: 'GET /api/positions/:account_id/:sku',
      call: () => partnerA.get('/api/positions/P-B/CH-ISO-1'),
      expect: status(404),
    },
    {
      route: 'GET /api/positions/export.xlsx',
      call: () => partnerA.get('/api/positions/export.xlsx?account_id=P-B'),
      expect: status(404),
    },
    {
      route: 'GET /api/inventory-differences',
      call: () => partnerA.get('/api/inventory-differences?limit=1000'),
      expect: onlyOrgA(),
    },
    { route: 'GET /api/sell-in', call: () => partnerA.get('/api/sell-in?limit=1000'), expect: onlyOrgA() },
    { route: 'GET /api/sell-out', call: () => partnerA.get('/api/sell-out?limit=1000'), expect: onlyOrgA() },
    // A grid's sort and column filters run over the partner's own rows only (row security, not the page).
    {
      route: 'GET /api/sell-out',
      call: () =>
        partnerA.get(
          `/api/sell-out?limit=1000&order=account_id:desc&filters=${encodeURIComponent(JSON.stringify({ account_id: 'p-' }))}`,
        ),
      expect: onlyOrgA(),
    },
    {
      route: 'GET /api/positions',
      call: () =>
        partnerA.get(
          `/api/positions?as_of=2026-02-28&order=sku:desc&filters=${encodeURIComponent(JSON.stringify({ account_id: 'p-' }))}`,
        ),
      expect: onlyOrgA(),
    },
    {
      route: 'GET /api/inventory',
      call: () => partnerA.get('/api/inventory?limit=1000'),
      expect: onlyOrgA(),
    },
  ],
};
