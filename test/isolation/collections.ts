import assert from 'node:assert/strict';
import { addComment, createPromise } from '../../src/modules/collections/index.ts';
import type { CaseModule, Check } from './types.ts';

/** Collections is the company's own desk: a partner is refused, and nothing of B's is in the answer. */
const refused: Check = (res) => {
  assert.equal(res.statusCode, 403, res.body);
  assert.ok(!res.body.includes('ISO-B-SECRET'), res.body);
};

export const collectionsCases: CaseModule = {
  async setup({ t }) {
    await addComment(t.db, 'P-B', 'ISO-B-SECRET comment');
    const d = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    await createPromise(t.db, 'P-B', { amount: '10.00', promised_date: d, note: 'ISO-B-SECRET' });
  },
  cases: ({ partnerA }) => [
    {
      route: 'GET /api/collections/worklist',
      call: () => partnerA.get('/api/collections/worklist'),
      expect: refused,
    },
    {
      route: 'GET /api/accounts/:account_id/timeline',
      call: () => partnerA.get('/api/accounts/P-B/timeline'),
      expect: refused,
    },
    {
      route: 'POST /api/accounts/:account_id/activities',
      call: () => partnerA.post('/api/accounts/P-B/activities', { kind: 'comment', body: 'hi' }),
      expect: refused,
    },
    {
      route: 'POST /api/accounts/:account_id/promises',
      call: () =>
        partnerA.post('/api/accounts/P-B/promises', { amount: '1.00', promised_date: '2099-01-01' }),
      expect: refused,
    },
    {
      route: 'GET /api/accounts/:account_id/promises',
      call: () => partnerA.get('/api/accounts/P-B/promises'),
      expect: refused,
    },
  ],
};
