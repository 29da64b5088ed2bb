import assert from 'node:assert/strict';
import { addDocs, addPayer, loadCredits } from '../helpers/cash.ts';
import type { CaseModule, Check } from './types.ts';

const status =
  (code: number): Check =>
  (res) =>
    assert.equal(res.statusCode, code, res.body);

let fileId = '';

/** Bank files and credits are the company's own: a partner gets 403 on every cash route, never data. */
export const cashCases: CaseModule = {
  async setup({ t, admin }) {
    await addDocs(t.db, [
      ['P-A', 'CASH-ISO-A', '10.00', '2026-02-01', 'EUR'],
      ['P-B', 'CASH-ISO-B', '20.00', '2026-02-01', 'EUR'],
    ]);
    await addPayer(t.db, 'P-B', 'ISO-BA-B');
    fileId = await loadCredits(t.db, [
      { ref: 'ISO-CR-B', amount: '20.00', currency: 'EUR', date: '2027-01-05', payerAccount: 'ISO-BA-B' },
      { ref: 'ISO-CR-A', amount: '3.00', currency: 'EUR', date: '2027-01-05', payerName: 'nobody' },
    ]);
    const run = await admin.post('/api/cash/runs');
    assert.equal(run.statusCode, 201, run.body);
  },
  cases: ({ partnerA, admin }) => [
    {
      route: 'GET /api/cash/bank-files',
      call: () => partnerA.get('/api/cash/bank-files'),
      expect: status(403),
    },
    {
      route: 'GET /api/cash/bank-files/:file_id',
      call: () => partnerA.get(`/api/cash/bank-files/${fileId}`),
      expect: status(403),
    },
    { route: 'GET /api/cash/credits', call: () => partnerA.get('/api/cash/credits'), expect: status(403) },
    {
      route: 'GET /api/cash/credits/:payment_ref',
      call: () => partnerA.get('/api/cash/credits/ISO-CR-B'),
      expect: status(403),
    },
    {
      route: 'POST /api/cash/credits/:payment_ref/apply',
      call: () =>
        partnerA.post('/api/cash/credits/ISO-CR-A/apply', {
          account_id: 'P-A',
          lines: [{ document_id: 'CASH-ISO-A', amount: '3.00' }],
        }),
      expect: status(403),
    },
    {
      route: 'POST /api/cash/credits/:payment_ref/unapply',
      call: () => partnerA.post('/api/cash/credits/ISO-CR-B/unapply'),
      expect: status(403),
    },
    {
      route: 'GET /api/cash/open-items',
      call: () => partnerA.get('/api/cash/open-items?q=CASH-ISO-B'),
      expect: status(403),
    },
    { route: 'POST /api/cash/runs', call: () => partnerA.post('/api/cash/runs'), expect: status(403) },
    { route: 'GET /api/cash/runs', call: () => partnerA.get('/api/cash/runs'), expect: status(403) },
    {
      route: 'GET /api/cash/runs/:run_id',
      call: () => partnerA.get('/api/cash/runs/1'),
      expect: status(403),
    },
    {
      route: 'GET /api/cash/accounts/:account_id/clearing',
      call: () => partnerA.get('/api/cash/accounts/P-B/clearing'),
      expect: status(403),
    },
    {
      route: 'PUT /api/cash/accounts/:account_id/clearing-policy',
      call: () =>
        partnerA.request('PUT', '/api/cash/accounts/P-B/clearing-policy', {
          payload: { auto_clear_credits: true },
        }),
      expect: status(403),
    },
    {
      route: 'POST /api/cash/accounts/:account_id/clearings',
      call: () =>
        partnerA.post('/api/cash/accounts/P-B/clearings', {
          source_id: 'ISO-CR-B',
          lines: [{ document_id: 'CASH-ISO-B', amount: '1.00' }],
        }),
      expect: status(403),
    },
    {
      route: 'POST /api/cash/accounts/:account_id/clearings/:clearing_id/reverse',
      call: () => partnerA.post('/api/cash/accounts/P-B/clearings/1/reverse'),
      expect: status(403),
    },
    {
      route: 'POST /api/cash/clearings/auto',
      call: () => partnerA.post('/api/cash/clearings/auto', { account_id: 'P-B' }),
      expect: status(403),
    },
    {
      route: 'GET /api/cash/export/cash_applications.csv',
      call: () => partnerA.get('/api/cash/export/cash_applications.csv'),
      expect: status(403),
    },
    {
      route: 'GET /api/cash/export/cash_exceptions.csv',
      call: async () => {
        // The desk sees both; the partner nothing.
        const desk = await admin.get('/api/cash/export/cash_exceptions.csv');
        assert.match(desk.body, /ISO-CR-A/);
        return partnerA.get('/api/cash/export/cash_exceptions.csv');
      },
      expect: status(403),
    },
  ],
};
