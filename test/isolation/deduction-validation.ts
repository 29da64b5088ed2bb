import assert from 'node:assert/strict';
import type { Case, CaseModule } from './types.ts';

/** Validating and clearing deductions is the company's work: a partner gets 403, whatever the id. */
const forbidden = (res: { statusCode: number; body: string }) => assert.equal(res.statusCode, 403, res.body);

export const deductionValidationCases: CaseModule = {
  async setup({ t }) {
    await t.db.query(
      `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount) values
         ('P-B', 'DED-VAL-B', 'deduction', '2026-02-01', '2026-02-01', 'EUR', '70.00')`,
    );
    await t.db.query(
      `insert into deductions (account_id, deduction_id, amount, currency, reason_code, deduction_date, source)
       values ('P-B', 'DED-VAL-B', 70.00, 'EUR', 'RB', '2026-02-01', 'import')`,
    );
  },
  cases: ({ partnerA }): Case[] => [
    {
      route: 'POST /api/deductions/validate',
      call: () => partnerA.post('/api/deductions/validate', {}),
      expect: forbidden,
    },
    {
      route: 'POST /api/deductions/:deduction_id/clear',
      call: () => partnerA.post('/api/deductions/DED-VAL-B/clear', { claim_ids: ['C-1'] }),
      expect: forbidden,
    },
    {
      route: 'POST /api/deductions/:deduction_id/reopen',
      call: () => partnerA.post('/api/deductions/DED-VAL-B/reopen', { reason: 'x' }),
      expect: forbidden,
    },
    {
      route: 'GET /api/deduction-results.csv',
      call: () => partnerA.get('/api/deduction-results.csv'),
      expect: forbidden,
    },
  ],
};
