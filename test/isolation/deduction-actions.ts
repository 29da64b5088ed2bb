import assert from 'node:assert/strict';
import type { Case, CaseModule, Check, IsolationContext } from './types.ts';

/**
 * The teams' actions on deductions and their administration are the company's own: a partner gets 403 on
 * every route, for another organisation's deduction, its own, or one that does not exist alike, and nothing
 * changes.
 */
const forbidden: Check = (res) => assert.equal(res.statusCode, 403, res.body);

async function addDeduction(ctx: IsolationContext, account: string, id: string): Promise<void> {
  await ctx.t.db.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount)
     values ($1, $2, 'deduction', '2026-02-01', '2026-02-01', 'EUR', '25.00')`,
    [account, id],
  );
  await ctx.t.db.query(
    `insert into deductions (account_id, deduction_id, amount, currency, reason_code, deduction_date, category,
       queue, validation)
     values ($1, $2, '25.00', 'EUR', 'ISO', '2026-02-01', 'marketing', 'marketing', 'not_applicable')`,
    [account, id],
  );
}

const actions: [string, string, unknown][] = [
  ['deny', 'POST /api/deductions/:deduction_id/deny', { comment: 'x' }],
  ['accept', 'POST /api/deductions/:deduction_id/accept', { comment: 'x' }],
  ['write-off', 'POST /api/deductions/:deduction_id/write-off', { comment: 'x' }],
  ['reassign', 'POST /api/deductions/:deduction_id/reassign', { queue: 'sales', comment: 'x' }],
  ['assign', 'POST /api/deductions/:deduction_id/assign', { assignee: 'anna@partner-a.test' }],
  ['comments', 'POST /api/deductions/:deduction_id/comments', { text: 'x' }],
];

export const deductionActionsCases: CaseModule = {
  async setup(ctx) {
    await addDeduction(ctx, 'P-B', 'D-ISO-B');
    await addDeduction(ctx, 'P-A', 'D-ISO-A');
  },
  cases: ({ partnerA, t }): Case[] => [
    ...actions.map(
      ([path, route, body]): Case => ({
        route,
        call: async () => {
          // Its own deduction and one that does not exist get what another organisation's gets.
          for (const id of ['D-ISO-A', 'D-ISO-NOPE'])
            forbidden(await partnerA.post(`/api/deductions/${id}/${path}`, body));
          return partnerA.post(`/api/deductions/D-ISO-B/${path}`, body);
        },
        expect: forbidden,
      }),
    ),
    {
      route: 'GET /api/deduction-routing-rules',
      call: () => partnerA.get('/api/deduction-routing-rules'),
      expect: forbidden,
    },
    {
      route: 'POST /api/deduction-routing-rules',
      call: () => partnerA.post('/api/deduction-routing-rules', { account_id: 'P-A', queue: 'sales' }),
      expect: forbidden,
    },
    {
      route: 'PUT /api/deduction-routing-rules/:rule_id',
      call: () => partnerA.put('/api/deduction-routing-rules/1', { account_id: 'P-A', queue: 'sales' }),
      expect: forbidden,
    },
    {
      route: 'DELETE /api/deduction-routing-rules/:rule_id',
      call: () => partnerA.delete('/api/deduction-routing-rules/1'),
      expect: forbidden,
    },
    {
      route: 'GET /api/deduction-reason-codes',
      call: () => partnerA.get('/api/deduction-reason-codes?account_id=P-B'),
      expect: forbidden,
    },
    {
      route: 'PUT /api/deduction-reason-codes/:account_id/:customer_code',
      call: () => partnerA.put('/api/deduction-reason-codes/P-B/ISO', { category: 'marketing' }),
      expect: forbidden,
    },
    {
      route: 'DELETE /api/deduction-reason-codes/:account_id/:customer_code',
      call: () => partnerA.delete('/api/deduction-reason-codes/P-B/ISO'),
      expect: forbidden,
    },
    {
      route: 'GET /api/deduction-queues',
      call: () => partnerA.get('/api/deduction-queues'),
      expect: forbidden,
    },
    {
      route: 'PUT /api/deduction-queues/:queue',
      call: async () => {
        const res = await partnerA.put('/api/deduction-queues/sales', { sla_business_days: 1, email: null });
        const { rows } = await t.db.query<{ n: number }>(
          `select count(*)::int as n from deductions
           where deduction_id in ('D-ISO-A', 'D-ISO-B') and status = 'open' and queue = 'marketing'
             and assignee is null`,
        );
        assert.equal(rows[0]!.n, 2, 'the partner changed no deduction');
        return res;
      },
      expect: forbidden,
    },
  ],
};
