import type { Db } from '../../db/db.ts';
import { defineJob, enqueue } from '../platform/index.ts';
import { validateDeductions } from './validate.ts';

/** Validation after each import of deductions or reason codes and after each cash run. */
export const deductionsValidateJob = defineJob({
  name: 'deductions.validate',
  retryLimit: 2,
  async handler(ctx) {
    const run = await validateDeductions(ctx.db);
    ctx.log.info(run, 'deductions validated');
  },
});

/** Queues a validation; false when this process has no job queue (the CLI validates itself). */
export async function requestDeductionValidation(_db: Db): Promise<boolean> {
  return enqueue(deductionsValidateJob.name, {}, { singletonKey: deductionsValidateJob.name });
}
