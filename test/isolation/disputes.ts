import assert from 'node:assert/strict';
import { openDispute } from '../../src/modules/disputes/index.ts';
import type { Case, CaseModule } from './types.ts';

/**
 * Disputes are the company's own work: a partner gets 403 on every desk route, even for its own invoices. It
 * raises and follows its own account's disputes; another organisation's account is a 404, and its invoice named
 * under the partner's own account is refused as a document that does not exist.
 */
const forbidden = (res: { statusCode: number; body: string }) => assert.equal(res.statusCode, 403, res.body);

let disputeB = '';
let disputeA = '';

export const disputesCases: CaseModule = {
  async setup({ t }) {
    await t.db.query(
      `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount) values
         ('P-B', 'DSP-ISO-B', 'invoice', '2026-02-01', '2026-03-03', 'EUR', '90.00'),
         ('P-A', 'DSP-ISO-A', 'invoice', '2026-02-01', '2026-03-03', 'EUR', '90.00')`,
    );
    disputeB = (
      await openDispute(t.db, {
        document_id: 'DSP-ISO-B',
        category: 'pricing',
        amount: '10.00',
        description: 'isolation',
      })
    ).dispute_id;
    disputeA = (
      await openDispute(t.db, {
        document_id: 'DSP-ISO-A',
        category: 'quantity',
        amount: '10.00',
        description: 'isolation, own invoice',
      })
    ).dispute_id;
  },
  cases: ({ partnerA }): Case[] => [
    {
      route: 'POST /api/disputes',
      call: () =>
        partnerA.post('/api/disputes', {
          document_id: 'DSP-ISO-B',
          category: 'pricing',
          amount: '1.00',
          description: 'x',
        }),
      expect: forbidden,
    },
    {
      route: 'GET /api/accounts/:account_id/disputes',
      call: () => partnerA.get('/api/accounts/P-B/disputes'),
      expect: (res) => assert.equal(res.statusCode, 404, res.body),
    },
    {
      route: 'POST /api/accounts/:account_id/disputes',
      call: () =>
        partnerA.post('/api/accounts/P-B/disputes', {
          document_id: 'DSP-ISO-B',
          category: 'pricing',
          amount: '1.00',
          description: 'x',
        }),
      expect: (res) => {
        assert.equal(res.statusCode, 404, res.body);
        assert.ok(!res.body.includes('DSP-ISO-B'), res.body);
      },
    },
    { route: 'GET /api/disputes', call: () => partnerA.get('/api/disputes'), expect: forbidden },
    {
      route: 'GET /api/disputes/export.csv',
      call: () => partnerA.get('/api/disputes/export.csv'),
      expect: forbidden,
    },
    {
      route: 'GET /api/disputes/:dispute_id',
      call: () => partnerA.get(`/api/disputes/${disputeB}`),
      expect: forbidden,
    },
    {
      route: 'POST /api/disputes/:dispute_id/assign',
      call: () => partnerA.post(`/api/disputes/${disputeB}/assign`, { team: 'billing' }),
      expect: forbidden,
    },
    {
      route: 'POST /api/disputes/:dispute_id/comments',
      call: () => partnerA.post(`/api/disputes/${disputeA}/comments`, { body: 'mine' }),
      expect: forbidden,
    },
    {
      route: 'POST /api/disputes/:dispute_id/adjustment',
      call: () =>
        partnerA.post(`/api/disputes/${disputeB}/adjustment`, {
          kind: 'credit_adjustment',
          amount: '1.00',
          comment: 'x',
        }),
      expect: forbidden,
    },
    {
      route: 'POST /api/disputes/:dispute_id/reject',
      call: () => partnerA.post(`/api/disputes/${disputeB}/reject`, { reason: 'x' }),
      expect: forbidden,
    },
    {
      route: 'POST /api/disputes/:dispute_id/withdraw',
      call: () => partnerA.post(`/api/disputes/${disputeA}/withdraw`, { reason: 'x' }),
      expect: forbidden,
    },
    { route: 'GET /api/dispute-teams', call: () => partnerA.get('/api/dispute-teams'), expect: forbidden },
    {
      route: 'PUT /api/dispute-teams/:team',
      call: () => partnerA.put('/api/dispute-teams/billing', { sla_business_days: 1 }),
      expect: forbidden,
    },
  ],
};
