import assert from 'node:assert/strict';
import { requestLimitChange, saveOrder } from '../../src/modules/credit/index.ts';
import type { Case, CaseModule } from './types.ts';

/** Credit is the company's own: a partner gets 403 on every credit route, even for its own organisation. */
const forbidden = (res: { statusCode: number; body: string }) => assert.equal(res.statusCode, 403, res.body);

let requestId = '';

export const creditCases: CaseModule = {
  async setup({ t }) {
    await saveOrder(t.db, {
      order_id: 'SO-ISO-B',
      account_id: 'P-B',
      order_date: '2026-02-01',
      amount: '100.00',
      currency: 'EUR',
    });
    const r = await requestLimitChange(t.db, {
      account_id: 'P-B',
      credit_limit: '1000.00',
      comment: 'isolation',
    });
    requestId = r.request_id;
  },
  cases: ({ partnerA }): Case[] => [
    { route: 'GET /api/credit/report', call: () => partnerA.get('/api/credit/report'), expect: forbidden },
    {
      route: 'GET /api/credit/report/export',
      call: () => partnerA.get('/api/credit/report/export'),
      expect: forbidden,
    },
    {
      route: 'POST /api/credit/orders',
      call: () =>
        partnerA.post('/api/credit/orders', {
          order_id: 'SO-ISO-A',
          account_id: 'P-A',
          order_date: '2026-02-01',
          amount: '1.00',
          currency: 'EUR',
        }),
      expect: forbidden,
    },
    {
      route: 'GET /api/credit/orders/:order_id',
      call: () => partnerA.get('/api/credit/orders/SO-ISO-B'),
      expect: forbidden,
    },
    {
      route: 'POST /api/credit/orders/:order_id/release',
      call: () => partnerA.post('/api/credit/orders/SO-ISO-B/release', { comment: 'x' }),
      expect: forbidden,
    },
    {
      route: 'POST /api/credit/orders/:order_id/keep',
      call: () => partnerA.post('/api/credit/orders/SO-ISO-B/keep', { comment: 'x' }),
      expect: forbidden,
    },
    {
      route: 'GET /api/credit/releases',
      call: () => partnerA.get('/api/credit/releases'),
      expect: forbidden,
    },
    {
      route: 'GET /api/credit/releases/export',
      call: () => partnerA.get('/api/credit/releases/export'),
      expect: forbidden,
    },
    {
      route: 'GET /api/credit/positions',
      call: () => partnerA.get('/api/credit/positions'),
      expect: forbidden,
    },
    {
      route: 'GET /api/credit/accounts/:account_id',
      call: () => partnerA.get('/api/credit/accounts/P-A'),
      expect: forbidden,
    },
    {
      route: 'POST /api/credit/limit-requests',
      call: () =>
        partnerA.post('/api/credit/limit-requests', {
          account_id: 'P-A',
          credit_limit: '1.00',
          comment: 'x',
        }),
      expect: forbidden,
    },
    {
      route: 'GET /api/credit/limit-requests',
      call: () => partnerA.get('/api/credit/limit-requests'),
      expect: forbidden,
    },
    {
      route: 'GET /api/credit/limit-requests/:request_id',
      call: () => partnerA.get(`/api/credit/limit-requests/${requestId}`),
      expect: forbidden,
    },
    {
      route: 'POST /api/credit/limit-requests/:request_id/approve',
      call: () => partnerA.post(`/api/credit/limit-requests/${requestId}/approve`),
      expect: forbidden,
    },
    {
      route: 'POST /api/credit/limit-requests/:request_id/refuse',
      call: () => partnerA.post(`/api/credit/limit-requests/${requestId}/refuse`, { comment: 'no' }),
      expect: forbidden,
    },
  ],
};
