import assert from 'node:assert/strict';
import { readWorkbook, sheetTable } from '../helpers/xlsx.ts';
import type { CaseModule } from './types.ts';

const claimIds = (items: { claim_id: string }[]) => items.map((x) => x.claim_id).sort();

/** Uses the claims of claims.ts (CL-A of P-A-DE, CL-B of P-B) and adds an SLA escalation for each. */
export const claimsReportsCases: CaseModule = {
  async setup({ t }) {
    await t.db.query(
      `insert into claim_sla_alerts (account_id, claim_id, kind, sla_state, submitted_date, due_date,
         target_business_days, business_days_left, as_of)
       values ('P-A-DE', 'CL-A', 'escalation', 'breached', '2026-03-10', '2026-04-22', 30, -1, '2026-04-23'),
              ('P-B', 'CL-B', 'escalation', 'breached', '2026-03-10', '2026-04-22', 30, -1, '2026-04-23')`,
    );
  },
  cases: ({ partnerA }) => [
    {
      route: 'GET /api/claim-log',
      call: () => partnerA.get('/api/claim-log'),
      expect: (res) => {
        assert.equal(res.statusCode, 200, res.body);
        assert.deepEqual(claimIds(res.json().items), ['CL-A']);
      },
    },
    {
      // A grid's sort and column filters run over the partner's own claims only.
      route: 'GET /api/claim-log',
      call: () =>
        partnerA.get(
          `/api/claim-log?order=partner:desc&filters=${encodeURIComponent(JSON.stringify({ claim_id: 'cl' }))}`,
        ),
      expect: (res) => {
        assert.equal(res.statusCode, 200, res.body);
        assert.deepEqual(claimIds(res.json().items), ['CL-A']);
        assert.equal(res.json().total, 1);
      },
    },
    {
      route: 'GET /api/claim-queue',
      call: () => partnerA.get('/api/claim-queue?account_id=P-B'),
      expect: (res) => {
        assert.equal(res.statusCode, 200, res.body);
        assert.deepEqual(res.json().items, []);
        assert.equal(res.json().total, 0);
      },
    },
    {
      route: 'GET /api/claim-queue',
      call: () => partnerA.get('/api/claim-queue?status=draft'),
      expect: (res) => {
        assert.equal(res.statusCode, 200, res.body);
        assert.deepEqual(res.json().items, [], 'B’s draft is not visible');
      },
    },
    {
      route: 'GET /api/claim-queue',
      call: () => partnerA.get('/api/claim-queue'),
      expect: (res) => {
        assert.equal(res.statusCode, 200, res.body);
        assert.deepEqual(claimIds(res.json().items), ['CL-A']);
      },
    },
    {
      route: 'GET /api/claim-log/export.xlsx',
      call: () => partnerA.get('/api/claim-log/export.xlsx?account_id=P-B'),
      expect: async (res) => {
        assert.equal(res.statusCode, 200, res.body);
        const wb = await readWorkbook(res.rawPayload);
        assert.equal(sheetTable(wb.worksheets[0]!).rows.length, 0, 'header only: nothing of P-B');
      },
    },
    {
      route: 'POST /api/claims/:claim_id/urgent',
      call: () => partnerA.post('/api/claims/CL-B/urgent', { urgent: true }),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'GET /api/claims/sla-alerts',
      call: () => partnerA.get('/api/claims/sla-alerts'),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'GET /api/scorecard',
      call: () => partnerA.get('/api/scorecard?account_id=P-B'),
      expect: (res) => assert.equal(res.statusCode, 404, res.body),
    },
  ],
};
