import assert from 'node:assert/strict';
import { addDeduction, addInvoice } from '../helpers/deductions.ts';
import type { CaseModule, Check } from './types.ts';

const status =
  (code: number): Check =>
  (res) =>
    assert.equal(res.statusCode, code, res.body);

/**
 * Deductions: partners read their own organisation's (parent and child accounts) and nothing of another's;
 * another's deduction is 404 with the same answer as a missing id. Queues and the dashboard are the desk's.
 */
export const deductionsCases: CaseModule = {
  async setup({ t }) {
    await addInvoice(t.db, 'P-A-DE', 'DED-ISO-INV-A', '100.00');
    await addInvoice(t.db, 'P-B', 'DED-ISO-INV-B', '100.00');
    await addDeduction(t.db, {
      account: 'P-A-DE',
      id: 'DED-ISO-A',
      amount: '10.00',
      date: '2026-02-01',
      invoice: 'DED-ISO-INV-A',
    });
    await addDeduction(t.db, {
      account: 'P-B',
      id: 'DED-ISO-B',
      amount: '20.00',
      date: '2026-02-01',
      invoice: 'DED-ISO-INV-B',
      assignee: 'someone@corp.test',
    });
  },
  cases: ({ partnerA }) => [
    {
      // A grid's sort and column filter over its own deductions only; the assignee is the desk's.
      route: 'GET /api/deductions',
      call: () =>
        partnerA.get(
          `/api/deductions?order=amount:desc&filters=${encodeURIComponent(JSON.stringify({ account: 'b' }))}`,
        ),
      expect: async (res) => {
        assert.equal(res.statusCode, 200, res.body);
        const accounts = (res.json().items as { account_id: string }[]).map((r) => r.account_id);
        assert.ok(
          accounts.every((a) => a === 'P-A' || a === 'P-A-DE'),
          res.body,
        );
        const desk = await partnerA.get('/api/deductions?filters=%7B%22assignee%22%3A%22a%22%7D');
        assert.equal(desk.statusCode, 400, desk.body);
      },
    },
    {
      route: 'GET /api/deductions',
      call: () => partnerA.get('/api/deductions?account_id=P-B'),
      expect: async (res) => {
        assert.equal(res.statusCode, 200, res.body);
        assert.deepEqual(res.json().items, []);
        const own = await partnerA.get('/api/deductions');
        const ids = (own.json().items as { deduction_id: string; account_id: string }[]).map(
          (r) => r.account_id,
        );
        assert.ok(ids.length > 0 && ids.every((a) => a === 'P-A' || a === 'P-A-DE'), own.body);
      },
    },
    {
      route: 'GET /api/deductions/:deduction_id',
      call: () => partnerA.get('/api/deductions/DED-ISO-B'),
      expect: async (res) => {
        assert.equal(res.statusCode, 404, res.body);
        const missing = await partnerA.get('/api/deductions/DED-ISO-X');
        assert.equal(res.body.replace('DED-ISO-B', 'ID'), missing.body.replace('DED-ISO-X', 'ID'));
        assert.ok(!res.body.includes('20.00'));
      },
    },
    {
      route: 'GET /api/deductions/queues',
      call: () => partnerA.get('/api/deductions/queues'),
      expect: status(403),
    },
    {
      route: 'GET /api/deductions/dashboard',
      call: () => partnerA.get('/api/deductions/dashboard'),
      expect: status(403),
    },
  ],
};
