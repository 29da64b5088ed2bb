import type { Db } from '../../db/db.ts';
import { markRepaidDeductions } from '../deductions/index.ts';
import { defineJob, enqueue } from '../platform/index.ts';
import { runCascade } from './cascade.ts';
import { autoClearCredits } from './clearing.ts';

/** The cascade after each bank file is loaded (one at a time: runs take an advisory lock anyway). */
export const cashApplyJob = defineJob({
  name: 'cash.apply',
  retryLimit: 2,
  async handler(ctx) {
    const run = await runCascade(ctx.db);
    // A payment quoting a denied deduction's id was applied to its document: the deduction is repaid.
    const repaid = await ctx.db.tx((tx) => markRepaidDeductions(tx));
    ctx.log.info(
      { run_id: run.run_id, credits: run.credits, auto_applied: run.auto_applied, repaid: repaid.length },
      'cash applied',
    );
    // Its short pays are deductions: route and validate them.
    await (await import('../deductions/index.ts')).requestDeductionValidation(ctx.db);
  },
});

/** Daily: credits cleared oldest-first against invoices for accounts whose policy says so. */
export const cashClearJob = defineJob({
  name: 'cash.clear-credits',
  schedule: '30 5 * * *',
  async handler(ctx) {
    const r = await autoClearCredits(ctx.db);
    ctx.log.info(r, 'credits cleared against invoices');
  },
});

/** Queues a cascade run; false when this process has no job queue (the CLI runs `cash apply` itself). */
export async function requestCashApplication(_db: Db): Promise<boolean> {
  return enqueue(cashApplyJob.name, {}, { singletonKey: cashApplyJob.name });
}
