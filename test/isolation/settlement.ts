import assert from 'node:assert/strict';
import type { CaseModule } from './types.ts';

/** A held ACH batch paying the claims of claims.ts: CL-A of P-A-DE and CL-B of P-B. */
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
      call: () => partnerA.post('/api/settlement/batches/PB-ISO/release'),
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
      route: 'GET /api/settlement/payments/advice.pdf',
      call: () => partnerA.get('/api/settlement/payments/advice.pdf?batch_id=PB-ISO&account_id=P-B'),
      expect: (res) => assert.equal(res.statusCode, 404, res.body),
    },
    {
      route: 'GET /api/settlement/payments/advice.xlsx',
      call: () => partnerA.get('/api/settlement/payments/advice.xlsx?batch_id=PB-ISO&account_id=P-B'),
      expect: (res) => assert.equal(res.statusCode, 404, res.body),
    },
  ],
};
