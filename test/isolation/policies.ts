import assert from 'node:assert/strict';
import { savePolicy } from '../../src/modules/claims/index.ts';
import type { Case, CaseModule } from './types.ts';

/** Policies are the company's own rules: a partner gets 403 on every route, whatever it names. */
const forbidden = (res: { statusCode: number; body: string }) => assert.equal(res.statusCode, 403, res.body);

export const policiesCases: CaseModule = {
  async setup({ t }) {
    await savePolicy(
      t.db,
      { scope: 'account', scope_id: 'P-B', effective_date: '2026-01-01' },
      { late_grace_days: 5 },
    );
  },
  cases: ({ partnerA }): Case[] => [
    { route: 'GET /api/policies', call: () => partnerA.get('/api/policies'), expect: forbidden },
    {
      route: 'GET /api/policies/:scope/:scope_id/:effective_date',
      call: () => partnerA.get('/api/policies/account/P-B/2026-01-01'),
      expect: forbidden,
    },
    {
      route: 'PUT /api/policies/:scope/:scope_id/:effective_date',
      call: () => partnerA.put('/api/policies/account/P-A/2026-01-01', { late_grace_days: 99 }),
      expect: forbidden,
    },
    {
      route: 'DELETE /api/policies/:scope/:scope_id/:effective_date',
      call: () => partnerA.delete('/api/policies/account/P-B/2026-01-01'),
      expect: forbidden,
    },
  ],
};
