import assert from 'node:assert/strict';
import type { CaseModule } from './types.ts';

/** The documents, statement and reconciliation of organisation B's claim CL-B (set up by claims.ts) stay B's. */
export const claimsDocumentsCases: CaseModule = {
  async setup() {},
  cases: ({ partnerA }) => [
    {
      route: 'GET /api/claims/:claim_id/statement.pdf',
      call: () => partnerA.get('/api/claims/CL-B/statement.pdf'),
      expect: (res) => {
        assert.equal(res.statusCode, 404, res.body);
        assert.ok(!res.body.includes('%PDF'));
      },
    },
    {
      route: 'POST /api/claims/:claim_id/documents',
      call: () =>
        partnerA.upload(
          '/api/claims/CL-B/documents',
          { document_type: 'proof_of_sale' },
          { name: 'proof.txt', content: 'Delivered and signed.\n' },
        ),
      expect: (res) => assert.equal(res.statusCode, 404, res.body),
    },
    {
      route: 'GET /api/claims/:claim_id/reconciliation.xlsx',
      call: () => partnerA.get('/api/claims/CL-B/reconciliation.xlsx'),
      expect: (res) => assert.equal(res.statusCode, 404, res.body),
    },
  ],
};
