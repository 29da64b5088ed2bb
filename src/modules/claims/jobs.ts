import type { Db } from '../../db/db.ts';
import { defineJob, enqueue } from '../platform/index.ts';
import { validateClaims } from './validate.ts';

/**
 * Validation as a job: queued whenever claims or their documents arrive, so a partner sees findings within
 * seconds. Runs never overlap (validateClaims takes an advisory lock) and one queued run covers every claim
 * submitted before it starts.
 */
export const validateJob = defineJob<Record<string, never>>({
  name: 'claims.validate',
  expireInSeconds: 60 * 60,
  async handler({ db, log }) {
    const summary = await validateClaims(db);
    log.info(summary, 'claims validated');
    // Trading partners get an 849 for every claim whose answer changed (the EDI module's job, by name).
    await enqueue('edi.respond', {}, { singletonKey: 'edi.respond' });
    return summary;
  },
});

/** Asks for a validation run: queued where there is a job queue (the server), otherwise nothing to do now. */
export async function requestValidation(_db: Db): Promise<boolean> {
  return enqueue(validateJob.name, {}, { singletonKey: validateJob.name });
}
