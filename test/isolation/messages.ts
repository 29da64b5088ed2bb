import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { postMessage, sendRecommendation } from '../../src/modules/messages/index.ts';
import { addAccount } from '../helpers/app.ts';
import type { Case, CaseModule } from './types.ts';

/**
 * Organisation B's conversations (on its claim CL-B, set up by claims.ts, and its French account's general one)
 * and the recommendation sent to it stay B's: to partner A they do not exist — the same 404 as a missing one.
 */
let messageB = '';
let recommendationB = '';

const missing = (res: LightMyRequestResponse) => {
  assert.equal(res.statusCode, 404, res.body);
  assert.equal(res.json().error.code, 'not_found');
};

export const messagesCases: CaseModule = {
  async setup({ t }) {
    // B's French account (its own conversation), so that P-B's own audit trail stays as other cases expect.
    await addAccount(t.db, 'P-B-FR', { parent_account_id: 'P-B' });
    const partnerB = t.db.as({ userId: null, name: 'bert', roles: ['partner'], accounts: ['P-B', 'P-B-FR'] });
    messageB = (await postMessage(partnerB, { account_id: 'P-B-FR' }, { body: 'B asks' })).message.message_id;
    recommendationB = (
      await sendRecommendation(t.db, {
        account_id: 'P-B-FR',
        rule_code: 'MISSING_DOCUMENT',
        text: 'Attach proofs.',
      })
    ).recommendation.recommendation_id;
  },
  cases: ({ partnerA }): Case[] => [
    {
      route: 'GET /api/messages/threads',
      call: () => partnerA.get('/api/messages/threads'),
      expect: (res) => {
        assert.equal(res.statusCode, 200, res.body);
        assert.ok(res.json().items.every((x: { account_id: string }) => x.account_id.startsWith('P-A')));
        assert.equal(res.json().unread_total, 0);
      },
    },
    {
      route: 'POST /api/messages/:message_id/read',
      call: () => partnerA.post(`/api/messages/${messageB}/read`),
      expect: missing,
    },
    {
      route: 'GET /api/claims/:claim_id/messages',
      call: () => partnerA.get('/api/claims/CL-B/messages'),
      expect: (res) => {
        missing(res);
        assert.equal(res.json().error.message, 'The claim CL-B does not exist.');
      },
    },
    {
      route: 'POST /api/claims/:claim_id/messages',
      call: () => partnerA.post('/api/claims/CL-B/messages?account_id=P-B', { body: 'hello B' }),
      expect: missing,
    },
    {
      route: 'GET /api/accounts/:account_id/messages',
      call: () => partnerA.get('/api/accounts/P-B-FR/messages'),
      expect: missing,
    },
    {
      route: 'POST /api/accounts/:account_id/messages',
      call: () => partnerA.post('/api/accounts/P-B/messages', { body: 'hello B' }),
      expect: missing,
    },
    {
      route: 'GET /api/recommendations',
      call: () => partnerA.get('/api/recommendations?account_id=P-B-FR'),
      expect: missing,
    },
    {
      route: 'POST /api/recommendations',
      call: () => partnerA.post('/api/recommendations', { account_id: 'P-A', rule_code: 'LATE_SUBMISSION' }),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'POST /api/recommendations/:recommendation_id/acknowledge',
      call: () => partnerA.post(`/api/recommendations/${recommendationB}/acknowledge`),
      expect: missing,
    },
    {
      route: 'POST /api/recommendations/:recommendation_id/resolve',
      call: () => partnerA.post(`/api/recommendations/${recommendationB}/resolve`),
      expect: missing,
    },
  ],
};
