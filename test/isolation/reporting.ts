import assert from 'node:assert/strict';
import type { Case, CaseModule } from './types.ts';

/** The measures are the company's own: a partner gets 403 on every route, even for its own organisation. */
const forbidden = (res: { statusCode: number; body: string }) => assert.equal(res.statusCode, 403, res.body);

export const reportingCases: CaseModule = {
  async setup() {},
  cases: ({ partnerA }): Case[] => [
    {
      route: 'GET /api/kpis',
      call: () => partnerA.get('/api/kpis?month=2026-02&by=partner'),
      expect: forbidden,
    },
    { route: 'GET /api/kpis/trend', call: () => partnerA.get('/api/kpis/trend'), expect: forbidden },
    {
      route: 'GET /api/kpis/claims',
      call: () => partnerA.get('/api/kpis/claims?month=2026-02&account_id=P-B'),
      expect: forbidden,
    },
    {
      route: 'GET /api/kpis.csv',
      call: () => partnerA.get('/api/kpis.csv?month=2026-02'),
      expect: forbidden,
    },
  ],
};
