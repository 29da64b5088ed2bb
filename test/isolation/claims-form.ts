import assert from 'node:assert/strict';
import type { CaseModule, Check } from './types.ts';

/** Another organisation's account is a 404 with the same words as an account that does not exist. */
const absentAccount: Check = (res) => {
  assert.equal(res.statusCode, 404, res.body);
  assert.match(res.json().error.message, /The account P-B /);
};

/** The claim form's look-ups for organisation B's account (B's end customers and sell-out are set up by claims.ts). */
export const claimsFormCases: CaseModule = {
  async setup() {},
  cases: ({ partnerA }) => [
    {
      route: 'GET /api/claim-form',
      call: () => partnerA.get('/api/claim-form?account_id=P-B'),
      expect: absentAccount,
    },
    {
      route: 'GET /api/claim-form/end-customers',
      call: () => partnerA.get('/api/claim-form/end-customers?account_id=P-B'),
      expect: absentAccount,
    },
    {
      route: 'GET /api/claim-form/sell-out',
      call: () => partnerA.get('/api/claim-form/sell-out?account_id=P-B'),
      expect: absentAccount,
    },
  ],
};
