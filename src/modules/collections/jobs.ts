import { defineJob } from '../platform/index.ts';
import { decidePromises } from './promises.ts';

/**
 * `collections.promises`, daily: decides the open promises to pay (kept or broken, each once) and records a
 * 'status' activity for each; a broken promise puts its account back at the top of the worklist. `as_of`
 * (YYYY-MM-DD) decides as of another day (tests, catching up).
 */
export const promisesJob = defineJob<{ as_of?: string }>({
  name: 'collections.promises',
  schedule: '30 2 * * *',
  retryLimit: 3,
  async handler({ db, log }, data) {
    const decisions = await decidePromises(db, data?.as_of);
    const kept = decisions.filter((d) => d.status === 'kept').length;
    const result = { kept, broken: decisions.length - kept, decisions };
    log.info({ kept, broken: result.broken }, 'collections.promises');
    return result;
  },
});
