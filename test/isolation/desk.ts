import assert from 'node:assert/strict';
import type { CaseModule, Check } from './types.ts';

/** The desk's home pages are the company's: a partner is refused, whichever home it names. */
const refused: Check = (res) => {
  assert.equal(res.statusCode, 403, res.body);
  assert.ok(!res.body.includes('P-B'), res.body);
};

export const deskCases: CaseModule = {
  async setup() {},
  cases: ({ partnerA }) => [
    { route: 'GET /api/home', call: () => partnerA.get('/api/home'), expect: refused },
    { route: 'GET /api/home/:home', call: () => partnerA.get('/api/home/collector'), expect: refused },
  ],
};
