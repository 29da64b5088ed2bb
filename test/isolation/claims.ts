import assert from 'node:assert/strict';
import type { CaseModule } from './types.ts';

const claimIds = (items: { claim_id: string }[]) => items.map((x) => x.claim_id);

const claimBody = (claimId: string, accountId: string) => ({
  claim_id: claimId,
  account_id: accountId,
  program_id: 'SB-B',
  submitted_date: '2026-03-10',
  currency: 'EUR',
  lines: [
    {
      line_no: 1,
      sku: 'ISO-1',
      qty: 1,
      claimed_unit_amount: '10.00',
      claimed_amount: '10.00',
      sale_date: '2026-03-01',
      deal_id: 'DEAL-B',
    },
  ],
});

/** A validated claim of each organisation, B's with a finding waiting for review; and a draft of B's. */
export const claimsCases: CaseModule = {
  async setup({ t }) {
    await t.db.query(
      `insert into claims (account_id, claim_id, program_id, submitted_date, currency, status)
       values ('P-A-DE', 'CL-A', 'SB-A', '2026-03-10', 'EUR', 'validated'),
              ('P-B', 'CL-B', 'SB-B', '2026-03-10', 'EUR', 'validated'),
              ('P-B', 'CL-B-D', 'SB-B', '2026-03-11', 'EUR', 'draft')`,
    );
    await t.db.query(
      `insert into claim_lines (account_id, claim_id, line_no, sku, qty, claimed_unit_amount, claimed_amount,
         sale_date, deal_id, status, approved_qty, approved_unit_amount, approved_amount)
       values ('P-A-DE', 'CL-A', 1, 'ISO-1', 1, 10, 10, '2026-03-01', 'DEAL-A', 'review', 1, 10, 10),
              ('P-B', 'CL-B', 1, 'ISO-1', 1, 10, 10, '2026-03-01', 'DEAL-B', 'review', 1, 10, 10),
              ('P-B', 'CL-B-D', 1, 'ISO-1', 1, 10, 10, '2026-03-01', 'DEAL-B', null, null, null, null)`,
    );
    await t.db.query(
      `insert into claim_findings (account_id, claim_id, line_no, rule_code, effect, detail)
       values ('P-A-DE', 'CL-A', 1, 'MISSING_DOCUMENT', 'review', 'proof_of_sale is missing'),
              ('P-B', 'CL-B', 1, 'MISSING_DOCUMENT', 'review', 'proof_of_sale is missing')`,
    );
  },
  cases: ({ t, partnerA }) => [
    {
      route: 'GET /api/claims',
      call: () => partnerA.get('/api/claims'),
      expect: (res) => {
        assert.equal(res.statusCode, 200, res.body);
        assert.deepEqual(claimIds(res.json().items), ['CL-A']);
      },
    },
    {
      route: 'GET /api/claims/:claim_id',
      call: () => partnerA.get('/api/claims/CL-B'),
      expect: (res) => assert.equal(res.statusCode, 404, res.body),
    },
    {
      route: 'GET /api/claims/:claim_id/versions',
      call: () => partnerA.get('/api/claims/CL-B/versions'),
      expect: (res) => assert.equal(res.statusCode, 404, res.body),
    },
    {
      route: 'POST /api/claims/:claim_id/close',
      call: () => partnerA.post('/api/claims/CL-B/close'),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'POST /api/claims',
      call: () => partnerA.post('/api/claims', claimBody('CL-B2', 'P-B')),
      expect: (res) => {
        assert.equal(res.statusCode, 400, res.body);
        assert.ok(res.json().error.issues.some((i: { field: string }) => i.field === 'account_id'));
      },
    },
    {
      // B's claim id is, to A, a claim id nobody used: A's claim is simply created (A's own, B's untouched).
      route: 'POST /api/claims',
      call: async () => {
        const res = await partnerA.post('/api/claims', {
          ...claimBody('CL-B', 'P-A-DE'),
          program_id: 'SB-A',
        });
        // Leave the fixture as the other cases expect it: B's CL-B alone.
        await t.db.query(`delete from claim_line_results where account_id = 'P-A-DE' and claim_id = 'CL-B'`);
        await t.db.query(`delete from claims where account_id = 'P-A-DE' and claim_id = 'CL-B'`);
        return res;
      },
      expect: (res) => {
        assert.equal(res.statusCode, 201, res.body);
        assert.equal(res.json().outcome, 'created');
        assert.equal(res.json().claim.account_id, 'P-A-DE');
        assert.ok(!res.body.includes('P-B'), res.body);
      },
    },
    {
      // Naming B's account beside a claim id B uses: not found, in the words used for an unknown claim.
      route: 'GET /api/claims/:claim_id',
      call: () => partnerA.get('/api/claims/CL-B-D?account_id=P-B'),
      expect: (res) => {
        assert.equal(res.statusCode, 404, res.body);
        assert.equal(res.json().error.message, 'The claim CL-B-D does not exist.');
      },
    },
    {
      route: 'POST /api/claims/:claim_id/submit',
      call: () => partnerA.post('/api/claims/CL-B-D/submit'),
      expect: (res) => assert.equal(res.statusCode, 404, res.body),
    },
    {
      route: 'POST /api/claims/upload',
      call: () =>
        partnerA.upload(
          '/api/claims/upload',
          {},
          {
            name: 'claims.csv',
            content:
              'claim_id,account_id,program_id,submitted_date,currency,line_no,sku,qty,claimed_unit_amount,claimed_amount,sale_date\n' +
              'CL-B3,P-B,SB-B,2026-03-10,EUR,1,ISO-1,1,10.00,10.00,2026-03-01\n',
          },
        ),
      expect: (res) => assert.equal(res.statusCode, 422, res.body),
    },
    {
      route: 'POST /api/claims/validate',
      call: () => partnerA.post('/api/claims/validate'),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'POST /api/claims/:claim_id/approve',
      call: () => partnerA.post('/api/claims/CL-B/approve'),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'POST /api/claims/:claim_id/reject',
      call: () => partnerA.post('/api/claims/CL-B/reject', { reason: 'mine now' }),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'POST /api/claims/:claim_id/lines/:line_no/findings/:rule_code/resolve',
      call: () =>
        partnerA.post('/api/claims/CL-B/lines/1/findings/MISSING_DOCUMENT/resolve', {
          resolution: 'overridden',
          reason_code: 'other',
          comment: 'mine',
        }),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
  ],
};
