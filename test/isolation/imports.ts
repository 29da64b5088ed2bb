import assert from 'node:assert/strict';
import type { CaseModule, Check } from './types.ts';

const status =
  (code: number): Check =>
  (res) =>
    assert.equal(res.statusCode, code, res.body);

const sellOutOfB = 'account_id,sell_out_ref,sale_date,sku,qty\nP-B,IMP-ISO-B1,2026-02-03,IMP-ISO-1,3\n';
let importOfB = '';
let refusedOfB = '';

/** Imports, single-record endpoints of the templates, and the catalogue. */
export const importsCases: CaseModule = {
  async setup({ t, admin, partnerB }) {
    await t.db.query(
      `insert into products (sku, name, currency) values ('IMP-ISO-1', 'Isolation printer', 'EUR')
       on conflict (sku) do nothing`,
    );
    await t.db.query(
      `insert into end_customers (end_customer_id, name, country) values ('IMP-EC-1', 'Hospital', 'DE')`,
    );
    const own = await partnerB.upload('/api/imports', {}, { name: 'sell_out.csv', content: sellOutOfB });
    assert.equal(own.statusCode, 201, own.body);
    importOfB = own.json().import.import_id;
    const refused = await partnerB.upload(
      '/api/imports',
      {},
      {
        name: 'sell_out.csv',
        content: 'account_id,sell_out_ref,sale_date,sku,qty\nP-B,X,2026-02-30,IMP-ISO-1,1\n',
      },
    );
    assert.equal(refused.statusCode, 422, refused.body);
    refusedOfB = refused.json().import.import_id;
    const adminLoad = await admin.upload(
      '/api/imports',
      {},
      {
        name: 'inventory.csv',
        content: 'account_id,sku,as_of_date,on_hand_qty\nP-B,IMP-ISO-1,2026-02-05,4\n',
      },
    );
    assert.equal(adminLoad.statusCode, 201, adminLoad.body);
  },
  cases: ({ partnerA }) => [
    {
      route: 'GET /api/import-templates',
      call: () => partnerA.get('/api/import-templates'),
      expect: (res) => {
        status(200)(res);
        assert.deepEqual(
          res.json().items.map((t: { kind: string }) => t.kind),
          ['sell_out', 'inventory', 'claims', 'claim_documents'],
        );
      },
    },
    {
      route: 'POST /api/imports',
      call: () => partnerA.upload('/api/imports', {}, { name: 'sell_out.csv', content: sellOutOfB }),
      expect: (res) => {
        status(422)(res);
        assert.match(JSON.stringify(res.json().import.errors), /unknown account/);
      },
    },
    {
      route: 'GET /api/imports',
      call: () => partnerA.get('/api/imports'),
      expect: (res) => {
        status(200)(res);
        assert.equal(res.json().total, 1, 'only its own refused attempt');
      },
    },
    {
      route: 'GET /api/imports/:import_id',
      call: () => partnerA.get(`/api/imports/${importOfB}`),
      expect: status(404),
    },
    {
      route: 'GET /api/imports/:import_id/rejected.csv',
      call: () => partnerA.get(`/api/imports/${refusedOfB}/rejected.csv`),
      expect: status(404),
    },
    {
      route: 'POST /api/sell-out',
      call: () =>
        partnerA.post('/api/sell-out', {
          account_id: 'P-B',
          sell_out_ref: 'IMP-ISO-B2',
          sale_date: '2026-02-04',
          sku: 'IMP-ISO-1',
          qty: 1,
        }),
      expect: (res) => {
        status(400)(res);
        assert.match(res.body, /unknown account/);
      },
    },
    {
      route: 'PATCH /api/sell-out/:account_id/:sell_out_ref',
      call: () => partnerA.patch('/api/sell-out/P-B/IMP-ISO-B1', { qty: 9 }),
      expect: status(404),
    },
    {
      route: 'POST /api/inventory',
      call: () =>
        partnerA.post('/api/inventory', {
          account_id: 'P-B',
          sku: 'IMP-ISO-1',
          as_of_date: '2026-02-06',
          on_hand_qty: 1,
        }),
      expect: status(400),
    },
    {
      route: 'PATCH /api/inventory/:account_id/:sku/:as_of_date/:kind',
      call: () => partnerA.patch('/api/inventory/P-B/IMP-ISO-1/2026-02-05/snapshot', { on_hand_qty: 0 }),
      expect: status(404),
    },
    {
      route: 'POST /api/sell-in',
      call: () =>
        partnerA.post('/api/sell-in', {
          invoice_id: 'I',
          line_no: 1,
          account_id: 'P-A',
          invoice_date: '2026-01-01',
          sku: 'IMP-ISO-1',
          qty: 1,
          unit_price: '1.00',
          currency: 'EUR',
        }),
      expect: status(403),
    },
    {
      route: 'PATCH /api/sell-in/:invoice_id/:line_no',
      call: () => partnerA.patch('/api/sell-in/CH-ISO-INV-B/1', { qty: 1 }),
      expect: status(403),
    },
    {
      route: 'POST /api/deals',
      call: () => partnerA.post('/api/deals', { deal_id: 'D-X' }),
      expect: status(403),
    },
    {
      route: 'PATCH /api/deals/:deal_id',
      call: () => partnerA.patch('/api/deals/D-B', { max_qty: 1 }),
      expect: status(403),
    },
    {
      route: 'GET /api/products',
      call: () => partnerA.get('/api/products'),
      expect: status(200),
    },
    {
      route: 'GET /api/products/:sku',
      call: () => partnerA.get('/api/products/IMP-ISO-1'),
      expect: status(200),
    },
    {
      route: 'POST /api/products',
      call: () => partnerA.post('/api/products', { sku: 'NEW', name: 'x' }),
      expect: status(403),
    },
    {
      route: 'PATCH /api/products/:sku',
      call: () => partnerA.patch('/api/products/IMP-ISO-1', { name: 'mine' }),
      expect: status(403),
    },
    {
      route: 'GET /api/price-changes',
      call: () => partnerA.get('/api/price-changes'),
      expect: status(200),
    },
    {
      route: 'POST /api/price-changes',
      call: () =>
        partnerA.post('/api/price-changes', {
          sku: 'IMP-ISO-1',
          country: 'DE',
          effective_date: '2026-03-01',
          old_price: '10',
          new_price: '9',
          currency: 'EUR',
        }),
      expect: status(403),
    },
    {
      route: 'GET /api/end-customers',
      call: () => partnerA.get('/api/end-customers'),
      expect: status(403),
    },
    {
      route: 'GET /api/end-customers/:end_customer_id',
      call: () => partnerA.get('/api/end-customers/IMP-EC-1'),
      expect: status(403),
    },
    {
      route: 'POST /api/end-customers',
      call: () => partnerA.post('/api/end-customers', { end_customer_id: 'E', name: 'x', country: 'DE' }),
      expect: status(403),
    },
    {
      route: 'PATCH /api/end-customers/:end_customer_id',
      call: () => partnerA.patch('/api/end-customers/IMP-EC-1', { name: 'x' }),
      expect: status(403),
    },
  ],
};
