import assert from 'node:assert/strict';
import type { Case, CaseModule } from './types.ts';

const ok = (code: number) => (res: { statusCode: number; body: string }) =>
  assert.equal(res.statusCode, code, res.body);
const view = { name: 'Mine', state: { columns: [{ colId: 'claim_id', width: 120 }], filters: {} } };

/**
 * Preferences and saved views are each user's own: partner A reads and writes only its own, never B's; a grid
 * export names only the accounts partner A may see.
 */
export const gridsCases: CaseModule = {
  async setup({ partnerB }) {
    ok(200)(await partnerB.put('/api/grid-views/claims-grid', { ...view, name: 'B only' }));
    ok(200)(await partnerB.put('/api/preferences', { locale: 'de-DE' }));
  },
  cases: ({ partnerA }): Case[] => [
    {
      route: 'GET /api/preferences',
      call: () => partnerA.get('/api/preferences'),
      expect: (res) => {
        ok(200)(res);
        assert.equal(res.json().preferences.locale, null);
      },
    },
    {
      route: 'PUT /api/preferences',
      call: () => partnerA.put('/api/preferences', { locale: 'fr-FR' }),
      expect: (res) => {
        ok(200)(res);
        assert.equal(res.json().preferences.locale, 'fr-FR');
      },
    },
    {
      route: 'GET /api/grid-views/:grid_id',
      call: () => partnerA.get('/api/grid-views/claims-grid'),
      expect: (res) => {
        ok(200)(res);
        assert.ok(!res.json().items.some((v: { name: string }) => v.name === 'B only'));
      },
    },
    {
      route: 'PUT /api/grid-views/:grid_id',
      // The same name as B's view makes A a view of its own; B's stays as it was (checked below).
      call: () => partnerA.put('/api/grid-views/claims-grid', { ...view, name: 'B only' }),
      expect: ok(200),
    },
    {
      route: 'DELETE /api/grid-views/:grid_id/:name',
      call: async () => {
        await partnerA.delete('/api/grid-views/claims-grid/B%20only');
        // A's own went; deleting again finds nothing, and B's is not A's to delete.
        return partnerA.delete('/api/grid-views/claims-grid/B%20only');
      },
      expect: ok(404),
    },
    {
      route: 'POST /api/grid-export',
      call: () =>
        partnerA.post('/api/grid-export', {
          title: 'Claims',
          format: 'csv',
          columns: [{ key: 'account_id', label: 'Account' }],
          rows: [{ account_id: 'P-A' }, { account_id: 'P-B' }],
        }),
      expect: (res) => {
        ok(200)(res);
        assert.match(res.body, /P-A,Account P-A/);
        assert.match(res.body, /P-B,\r?\n|P-B,$/m);
        assert.doesNotMatch(res.body, /Account P-B/);
      },
    },
  ],
};
