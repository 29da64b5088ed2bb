import assert from 'node:assert/strict';
import { requestAdjustment } from '../../src/modules/adjustments/index.ts';
import type { Case, CaseModule } from './types.ts';

/** Adjustments, approvals, month end and the journal are the company's own: a partner gets 403 everywhere. */
const forbidden = (res: { statusCode: number; body: string }) => assert.equal(res.statusCode, 403, res.body);

let adjustmentId = '';

export const adjustmentsCases: CaseModule = {
  async setup({ t }) {
    await t.db.query(
      `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount) values
         ('P-B', 'ADJ-ISO-B', 'invoice', '2026-02-01', '2026-03-03', 'EUR', '70.00')`,
    );
    const a = await requestAdjustment(t.db, {
      kind: 'write_off',
      document_id: 'ADJ-ISO-B',
      amount: '10.00',
      reason_code: 'SMALL_BALANCE',
      comment: 'isolation',
    });
    adjustmentId = a.adjustment_id;
  },
  cases: ({ partnerA }): Case[] => [
    {
      route: 'POST /api/adjustments',
      call: () =>
        partnerA.post('/api/adjustments', {
          kind: 'write_off',
          document_id: 'ADJ-ISO-B',
          amount: '1.00',
          reason_code: 'SMALL_BALANCE',
          comment: 'x',
        }),
      expect: forbidden,
    },
    { route: 'GET /api/adjustments', call: () => partnerA.get('/api/adjustments'), expect: forbidden },
    {
      route: 'GET /api/adjustments/:adjustment_id',
      call: () => partnerA.get(`/api/adjustments/${adjustmentId}`),
      expect: forbidden,
    },
    {
      route: 'POST /api/adjustments/:adjustment_id/approve',
      call: () => partnerA.post(`/api/adjustments/${adjustmentId}/approve`),
      expect: forbidden,
    },
    {
      route: 'POST /api/adjustments/:adjustment_id/refuse',
      call: () => partnerA.post(`/api/adjustments/${adjustmentId}/refuse`, { comment: 'no' }),
      expect: forbidden,
    },
    {
      route: 'GET /api/adjustment-reasons',
      call: () => partnerA.get('/api/adjustment-reasons'),
      expect: forbidden,
    },
    {
      route: 'PUT /api/adjustment-reasons/:reason_code',
      call: () =>
        partnerA.request('PUT', '/api/adjustment-reasons/X_ISO', {
          payload: { description: 'x', kinds: ['write_off'] },
        }),
      expect: forbidden,
    },
    {
      route: 'GET /api/approvals/inbox',
      call: () => partnerA.get('/api/approvals/inbox'),
      expect: forbidden,
    },
    {
      route: 'GET /api/approval-limits',
      call: () => partnerA.get('/api/approval-limits'),
      expect: forbidden,
    },
    {
      route: 'PUT /api/approval-limits/:user_id',
      call: () =>
        partnerA.request('PUT', '/api/approval-limits/00000000-0000-0000-0000-000000000000', {
          payload: { limits: [] },
        }),
      expect: forbidden,
    },
    {
      route: 'GET /api/approval-thresholds',
      call: () => partnerA.get('/api/approval-thresholds'),
      expect: forbidden,
    },
    {
      route: 'PUT /api/approval-thresholds/:currency',
      call: () =>
        partnerA.request('PUT', '/api/approval-thresholds/EUR', { payload: { second_level: '1.00' } }),
      expect: forbidden,
    },
    {
      route: 'DELETE /api/approval-thresholds/:currency',
      call: () => partnerA.request('DELETE', '/api/approval-thresholds/EUR'),
      expect: forbidden,
    },
    {
      route: 'POST /api/month-end/runs',
      call: () => partnerA.post('/api/month-end/runs', { as_of: '2026-02-28' }),
      expect: forbidden,
    },
    { route: 'GET /api/month-end/runs', call: () => partnerA.get('/api/month-end/runs'), expect: forbidden },
    { route: 'GET /api/journal', call: () => partnerA.get('/api/journal'), expect: forbidden },
    { route: 'GET /api/journal.csv', call: () => partnerA.get('/api/journal.csv'), expect: forbidden },
    { route: 'GET /api/journal.xlsx', call: () => partnerA.get('/api/journal.xlsx'), expect: forbidden },
    {
      route: 'GET /api/journal/gl-accounts',
      call: () => partnerA.get('/api/journal/gl-accounts'),
      expect: forbidden,
    },
    {
      route: 'PUT /api/journal/gl-accounts/:kind',
      call: () =>
        partnerA.request('PUT', '/api/journal/gl-accounts/write_off', {
          payload: { debit_account: '1', credit_account: '2' },
        }),
      expect: forbidden,
    },
  ],
};
