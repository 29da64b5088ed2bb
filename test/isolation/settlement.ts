import assert from 'node:assert/strict';
import { readWorkbook, sheetTable } from '../helpers/xlsx.ts';
import type { CaseModule } from './types.ts';

const range = 'from=2026-01-01&to=2026-12-31';

/**
 * A held ACH batch paying the claims of claims.ts (CL-A of P-A-DE and CL-B of P-B) with its NACHA file, and
 * a paid credit memo batch of a decided claim of P-B only (CL-SB), which the reconciliation would report.
 */
export const settlementCases: CaseModule = {
  async setup({ t }) {
    await t.db.query(
      `insert into payment_batches (batch_id, method, currency, status, as_of, payment_count, total_amount,
         release_required)
       values ('PB-ISO', 'ach', 'EUR', 'draft', '2026-04-01', 2, 20, true)`,
    );
    await t.db.query(
      `insert into settlement_payments (account_id, claim_id, batch_id, method, currency, amount, status, as_of)
       values ('P-A-DE', 'CL-A', 'PB-ISO', 'ach', 'EUR', 10, 'created', '2026-04-01'),
              ('P-B', 'CL-B', 'PB-ISO', 'ach', 'EUR', 10, 'created', '2026-04-01')`,
    );
    await t.db.query(
      `insert into payment_batch_files (batch_id, file_name, kind, media_type, size_bytes, sha256, content)
       values ('PB-ISO', 'PB-ISO.ach', 'nacha', 'text/plain', 3, 'x', '\\x313233')`,
    );
    await t.db.query(
      `insert into claims (account_id, claim_id, program_id, submitted_date, currency, status, decided_at,
         paid_on)
       values ('P-B', 'CL-SB', 'SB-B', '2026-03-10', 'EUR', 'paid', '2026-04-01 10:00', '2026-04-02')`,
    );
    await t.db.query(
      `insert into claim_lines (account_id, claim_id, line_no, claimed_amount, status, approved_amount)
       values ('P-B', 'CL-SB', 1, 25, 'adjusted', 20)`,
    );
    await t.db.query(
      `insert into payment_batches (batch_id, method, currency, status, as_of, payment_count, total_amount)
       values ('PB-ISO2', 'credit_memo', 'EUR', 'final', '2026-04-02', 1, 20)`,
    );
    await t.db.query(
      `insert into settlement_payments (account_id, claim_id, batch_id, method, currency, amount, status, as_of,
         paid_on)
       values ('P-B', 'CL-SB', 'PB-ISO2', 'credit_memo', 'EUR', 20, 'paid', '2026-04-02', '2026-04-02')`,
    );
    // A payment proposal with P-B's claim: the desk's, never a partner's.
    await t.db.query(`insert into payment_proposals (proposal_id, as_of) values ('PP-ISO', '2099-01-05')`);
    await t.db.query(
      `insert into payment_proposal_lines (account_id, proposal_id, claim_id, method, currency, amount)
       values ('P-B', 'PP-ISO', 'CL-B', 'ach', 'EUR', 10)`,
    );
  },
  cases: ({ partnerA }) => [
    {
      route: 'GET /api/settlement/batches',
      call: () => partnerA.get('/api/settlement/batches'),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'GET /api/settlement/batches/:batch_id',
      call: () => partnerA.get('/api/settlement/batches/PB-ISO'),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'POST /api/settlement/batches/:batch_id/release',
      call: () => partnerA.post('/api/settlement/batches/PB-ISO/release', { comment: 'mine' }),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'GET /api/settlement/payments',
      call: () => partnerA.get('/api/settlement/payments'),
      expect: (res) => {
        assert.equal(res.statusCode, 200, res.body);
        const items = res.json().items as { claim_id: string; batch_status: string }[];
        assert.deepEqual(
          items.map((p) => [p.claim_id, p.batch_status]),
          [['CL-A', 'draft']],
          'its own payment with its batch status, nothing of P-B',
        );
      },
    },
    {
      // Sorted and filtered over its own payments only; the batch status (the company's) is not a column.
      route: 'GET /api/settlement/payments',
      call: () =>
        partnerA.get(
          `/api/settlement/payments?order=amount:desc&filters=${encodeURIComponent(JSON.stringify({ claim_id: 'cl' }))}`,
        ),
      expect: async (res) => {
        assert.equal(res.statusCode, 200, res.body);
        assert.deepEqual(
          (res.json().items as { claim_id: string }[]).map((p) => p.claim_id),
          ['CL-A'],
        );
        assert.equal(res.json().total, 1);
        const company = await partnerA.get('/api/settlement/payments?order=batch_status:asc');
        assert.equal(company.statusCode, 400, company.body);
      },
    },
    {
      route: 'GET /api/settlement/batches/:batch_id/files/:file_name',
      call: () => partnerA.get('/api/settlement/batches/PB-ISO/files/PB-ISO.ach'),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'POST /api/settlement/batches/:batch_id/reverse',
      call: () => partnerA.post('/api/settlement/batches/PB-ISO2/reverse', { reason: 'mine' }),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'GET /api/settlement/advices',
      call: () => partnerA.get('/api/settlement/advices'),
      expect: (res) => {
        assert.equal(res.statusCode, 200, res.body);
        const items = res.json().items as { batch_id: string; account_id: string }[];
        assert.deepEqual(
          items.map((a) => [a.batch_id, a.account_id]),
          [['PB-ISO', 'P-A-DE']],
          'its own advice, nothing of P-B',
        );
      },
    },
    {
      route: 'GET /api/settlement/accruals',
      call: () => partnerA.get('/api/settlement/accruals?account_id=P-B'),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'GET /api/settlement/accruals/export.xlsx',
      call: () => partnerA.get('/api/settlement/accruals/export.xlsx?account_id=P-B'),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'GET /api/settlement/accruals/export.csv',
      call: () => partnerA.get('/api/settlement/accruals/export.csv?account_id=P-B'),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'GET /api/settlement/reconciliation',
      call: () => partnerA.get(`/api/settlement/reconciliation?${range}`),
      expect: (res) => {
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json();
        assert.deepEqual([body.rows, body.reasons, body.claims], [[], [], []], 'nothing of P-B’s CL-SB');
      },
    },
    {
      route: 'GET /api/settlement/reconciliation/export.xlsx',
      call: () => partnerA.get(`/api/settlement/reconciliation/export.xlsx?${range}&account_id=P-B`),
      expect: async (res) => {
        assert.equal(res.statusCode, 200, res.body);
        const wb = await readWorkbook(res.rawPayload);
        assert.deepEqual(
          wb.worksheets.map((w) => sheetTable(w).rows.length),
          [0, 0, 0],
          'headers only: nothing of P-B',
        );
      },
    },
    {
      route: 'GET /api/settlement/reconciliation/export.csv',
      call: () => partnerA.get(`/api/settlement/reconciliation/export.csv?${range}&account_id=P-B`),
      expect: (res) => {
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.body.trim().split('\n').length, 1, 'header only');
      },
    },
    {
      route: 'GET /api/settlement/payments/advice.pdf',
      call: () => partnerA.get('/api/settlement/payments/advice.pdf?batch_id=PB-ISO&account_id=P-B'),
      expect: (res) => assert.equal(res.statusCode, 404, res.body),
    },
    {
      route: 'GET /api/settlement/payments/advice.xlsx',
      call: () => partnerA.get('/api/settlement/payments/advice.xlsx?batch_id=PB-ISO&account_id=P-B'),
      expect: (res) => assert.equal(res.statusCode, 404, res.body),
    },
    {
      route: 'GET /api/settlement/payment-date',
      call: () => partnerA.get('/api/settlement/payment-date?date=2026-11-28'),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'GET /api/settlement/proposals',
      call: () => partnerA.get('/api/settlement/proposals'),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'POST /api/settlement/proposals',
      call: () => partnerA.post('/api/settlement/proposals', {}),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'GET /api/settlement/proposals/:proposal_id',
      call: () => partnerA.get('/api/settlement/proposals/PP-ISO'),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'POST /api/settlement/proposals/:proposal_id/exclude',
      call: () =>
        partnerA.post('/api/settlement/proposals/PP-ISO/exclude', {
          claims: [{ account_id: 'P-B', claim_id: 'CL-B' }],
          reason: 'a competitor’s claim',
        }),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'POST /api/settlement/proposals/:proposal_id/include',
      call: () =>
        partnerA.post('/api/settlement/proposals/PP-ISO/include', {
          claims: [{ account_id: 'P-B', claim_id: 'CL-B' }],
        }),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'POST /api/settlement/proposals/:proposal_id/submit',
      call: () => partnerA.post('/api/settlement/proposals/PP-ISO/submit'),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
  ],
};
