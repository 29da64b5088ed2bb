import assert from 'node:assert/strict';
import { readWorkbook, sheetTable } from '../helpers/xlsx.ts';
import type { CaseModule, Check } from './types.ts';

const orgA = ['P-A', 'P-A-DE'];

/** 200, and the list holds rows of organisation A (parent and child account) and none of B's. */
const onlyOrgA =
  (key: string): Check =>
  (res) => {
    assert.equal(res.statusCode, 200, res.body);
    const accounts = new Set((res.json()[key] as { account_id: string }[]).map((r) => r.account_id));
    assert.ok(!accounts.has('P-B'), `B's rows leaked: ${[...accounts].join(', ')}`);
    assert.ok(accounts.size > 0, 'organisation A has rows of its own');
    for (const a of accounts) assert.ok(orgA.includes(a), a);
  };

export const receivablesCases: CaseModule = {
  async setup({ t }) {
    await t.db.query(
      `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount) values
         ('P-A', 'AR-ISO-A', 'invoice', '2026-02-01', '2026-03-03', 'EUR', '100.00'),
         ('P-A-DE', 'AR-ISO-ADE', 'invoice', '2026-02-01', '2026-03-03', 'EUR', '50.00'),
         ('P-B', 'AR-ISO-B', 'invoice', '2026-02-01', '2026-03-03', 'EUR', '70.00')`,
    );
    await t.db.query(
      `insert into ar_payments (account_id, payment_id, received_date, amount, currency) values
         ('P-B', 'AR-ISO-PAY-B', '2026-02-10', '30.00', 'EUR')`,
    );
    await t.db.query(
      `insert into ar_applications (account_id, payment_id, document_id, applied_date, amount) values
         ('P-B', 'AR-ISO-PAY-B', 'AR-ISO-B', '2026-02-10', '10.00')`,
    );
  },
  cases: ({ partnerA }) => [
    {
      route: 'GET /api/ar/aging',
      call: () => partnerA.get('/api/ar/aging?as_of=2026-03-31'),
      expect: onlyOrgA('rows'),
    },
    {
      route: 'GET /api/ar/aging/export.xlsx',
      call: () => partnerA.get('/api/ar/aging/export.xlsx?as_of=2026-03-31'),
      expect: async (res) => {
        assert.equal(res.statusCode, 200, res.body);
        const wb = await readWorkbook(res.rawPayload);
        const ids = sheetTable(wb.getWorksheet('aging')!).rows.map((r) => r[0]);
        assert.deepEqual(ids.sort(), ['P-A', 'P-A-DE']);
      },
    },
    {
      route: 'GET /api/ar/aging/export.csv',
      call: () => partnerA.get('/api/ar/aging/export.csv?as_of=2026-03-31'),
      expect: (res) => {
        assert.equal(res.statusCode, 200, res.body);
        const ids = res.body
          .trim()
          .split(/\r?\n/)
          .slice(1)
          .map((line) => line.split(',')[0]);
        assert.deepEqual(ids.sort(), ['P-A', 'P-A-DE']);
      },
    },
    {
      route: 'GET /api/ar/items',
      call: () => partnerA.get('/api/ar/items?as_of=2026-03-31'),
      expect: onlyOrgA('items'),
    },
    {
      route: 'GET /api/ar/items/:document_id',
      call: () => partnerA.get('/api/ar/items/AR-ISO-B'),
      expect: (res) => assert.equal(res.statusCode, 404, res.body),
    },
    {
      route: 'GET /api/ar/items/:document_id/copy.pdf',
      call: () => partnerA.get('/api/ar/items/AR-ISO-B/copy.pdf'),
      expect: (res) => {
        assert.equal(res.statusCode, 404, res.body);
        assert.ok(!res.body.includes('70.00'), res.body);
      },
    },
  ],
};
