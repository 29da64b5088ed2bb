import assert from 'node:assert/strict';
import { addComment, createPromise, createTask } from '../../src/modules/collections/index.ts';
import type { CaseModule, Check } from './types.ts';

/** Collections is the company's own desk: a partner is refused, and nothing of B's is in the answer. */
const refused: Check = (res) => {
  assert.equal(res.statusCode, 403, res.body);
  assert.ok(!res.body.includes('ISO-B-SECRET'), res.body);
};

let taskOfB = '';

export const collectionsCases: CaseModule = {
  async setup({ t }) {
    await addComment(t.db, 'P-B', 'ISO-B-SECRET comment');
    taskOfB = (await createTask(t.db, 'P-B', { kind: 'call', note: 'ISO-B-SECRET call' })).task_id;
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
    {
      route: 'GET /api/accounts/:account_id/overview',
      call: () => partnerA.get('/api/accounts/P-B/overview'),
      expect: refused,
    },
    {
      route: 'GET /api/accounts/:account_id/strategy',
      call: () => partnerA.get('/api/accounts/P-B/strategy'),
      expect: refused,
    },
    {
      route: 'POST /api/accounts/:account_id/reminders',
      call: () => partnerA.post('/api/accounts/P-B/reminders', { to: ['spy@a.test'] }),
      expect: refused,
    },
    {
      route: 'POST /api/accounts/:account_id/next-action',
      call: () => partnerA.post('/api/accounts/P-B/next-action', { action: 'reminder' }),
      expect: refused,
    },
    {
      route: 'POST /api/collections/worklist/bulk',
      call: () =>
        partnerA.post('/api/collections/worklist/bulk', { action: 'reminder', account_ids: ['P-B'] }),
      expect: refused,
    },
    {
      route: 'POST /api/ar/items/:document_id/emails',
      call: () =>
        partnerA.post('/api/ar/items/AR-ISO-B/emails', { kind: 'invoice_copy', to: ['spy@a.test'] }),
      expect: refused,
    },
    {
      route: 'POST /api/accounts/:account_id/tasks',
      call: () => partnerA.post('/api/accounts/P-B/tasks', { kind: 'call' }),
      expect: refused,
    },
    {
      route: 'GET /api/tasks',
      call: () => partnerA.get('/api/tasks?status=all'),
      expect: refused,
    },
    {
      route: 'POST /api/tasks/:task_id/complete',
      call: () => partnerA.post(`/api/tasks/${taskOfB}/complete`, { outcome: 'no_action' }),
      expect: refused,
    },
    {
      route: 'GET /api/collection-strategies',
      call: () => partnerA.get('/api/collection-strategies'),
      expect: refused,
    },
    {
      route: 'GET /api/collection-strategies/:strategy_id',
      call: () => partnerA.get('/api/collection-strategies/default'),
      expect: refused,
    },
    {
      route: 'POST /api/collection-strategies',
      call: () =>
        partnerA.post('/api/collection-strategies', {
          strategy_id: 'spy',
          name: 'Spy',
          segment: 'key',
          steps: [{ kind: 'call', trigger: 'days_past_due', days: 1 }],
        }),
      expect: refused,
    },
    {
      route: 'PUT /api/collection-strategies/:strategy_id',
      call: () =>
        partnerA.request('PUT', '/api/collection-strategies/default', {
          payload: { name: 'Taken over', steps: [{ kind: 'call', trigger: 'days_past_due', days: 1 }] },
        }),
      expect: refused,
    },
    {
      route: 'DELETE /api/collection-strategies/:strategy_id',
      call: () => partnerA.delete('/api/collection-strategies/default'),
      expect: refused,
    },
  ],
};
