import assert from 'node:assert/strict';
import type { CaseModule } from './types.ts';

/**
 * Override approvals and their rules: partner users neither approve another organisation's overrides nor
 * read or change which rules need an approver (company configuration). Uses the claims of `claims.ts`.
 */
export const claimsOverridesCases: CaseModule = {
  async setup() {},
  cases: ({ partnerA }) => [
    {
      route: 'POST /api/claims/:claim_id/lines/:line_no/findings/:rule_code/approve-override',
      call: () => partnerA.post('/api/claims/CL-B/lines/1/findings/MISSING_DOCUMENT/approve-override'),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'GET /api/override-approval-rules',
      call: () => partnerA.get('/api/override-approval-rules'),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'PUT /api/override-approval-rules/:country',
      call: () => partnerA.put('/api/override-approval-rules/DE', { rule_codes: [] }),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'DELETE /api/override-approval-rules/:country',
      call: () => partnerA.delete('/api/override-approval-rules/DE'),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
  ],
};
