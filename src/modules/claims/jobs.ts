import type { Logger } from 'pino';
import type { Db, PoolDb } from '../../db/db.ts';
import { defineJob, enqueue, startJobs } from '../platform/index.ts';
import { planValidationSlices, validationSliceSize } from './slices.ts';
import { type ValidationSummary, validateClaims } from './validate.ts';

/**
 * Validation as a job: queued whenever claims or their documents arrive, so a partner sees findings within
 * seconds. One queued run covers every claim submitted before it starts. In a worker the run is spread: the
 * partners are planned into slices (slices.ts: partners that share a serial number, a budget that can bind
 * or a deal stay together) and each slice is a `claims.validate-slice` job that any worker process takes;
 * a run of one slice is validated here. Whole runs and slices never overlap on a partner (validateClaims
 * takes the run's advisory lock, shared by slices, and a slice locks its partners).
 */
export const validateJob = defineJob<{ slice_size?: number }>({
  name: 'claims.validate',
  expireInSeconds: 60 * 60,
  async handler({ db, log }, data) {
    const slices = await planValidationSlices(db, data?.slice_size ?? validationSliceSize);
    if (slices.length > 1) {
      let queued = 0;
      for (const accounts of slices) {
        if (await enqueue(validateSliceJob.name, { accounts })) queued++;
        else await validateClaims(db, { accounts });
      }
      log.info({ slices: slices.length, queued }, 'claims validation handed out');
      return { slices: slices.length, queued };
    }
    const summary = await validateClaims(db);
    log.info(summary, 'claims validated');
    // Trading partners get an 849 for every claim whose answer changed (the EDI module's job, by name).
    await enqueue('edi.respond', {}, { singletonKey: 'edi.respond' });
    return summary;
  },
});

/** One slice of a spread validation run: its partners' claims, validated in processing order. */
export const validateSliceJob = defineJob<{ accounts: string[] }>({
  name: 'claims.validate-slice',
  expireInSeconds: 60 * 60,
  // A slice keeps four connections and both cores busy: one at a time per process.
  concurrency: 1,
  async handler({ db, log }, data) {
    const summary = await validateClaims(db, { accounts: data.accounts });
    log.info({ ...summary, partners: data.accounts.length }, 'claims validation slice done');
    await enqueue('edi.respond', {}, { singletonKey: 'edi.respond' });
    return summary;
  },
});

/** Asks for a validation run: queued where there is a job queue (the server), otherwise nothing to do now. */
export async function requestValidation(_db: Db): Promise<boolean> {
  return enqueue(validateJob.name, {}, { singletonKey: validateJob.name });
}

/**
 * `clearhouse claims validate --spread`: the run handed out in slices to the worker processes, this process
 * taking its share too, so it finishes whether or not any worker is up (alone, it validates every slice
 * itself). Returns when every slice is done; a slice that fails (after its retries) fails the run.
 */
export async function validateSpread(
  db: PoolDb,
  opts: {
    ownerUrl: string;
    log: Logger;
    sliceSize?: number;
    onProgress?: (slicesDone: number, slices: number) => void;
  },
): Promise<ValidationSummary & { slices: number }> {
  const started = performance.now();
  const slices = await planValidationSlices(db, opts.sliceSize ?? validationSliceSize);
  const jobs = await startJobs({
    ownerUrl: opts.ownerUrl,
    db,
    log: opts.log,
    work: true,
    only: [validateSliceJob.name],
    concurrency: 1,
    pollingIntervalSeconds: 0.5,
  });
  const total = { lines: 0, evaluated: 0, changed: 0, claims_validated: 0 };
  try {
    const ids: string[] = [];
    for (const accounts of slices) {
      const id = await jobs.send(validateSliceJob.name, { accounts });
      if (id === null) throw new Error('the job queue refused a validation slice');
      ids.push(id);
    }
    const pending = new Set(ids);
    while (pending.size > 0) {
      for (const id of [...pending]) {
        const job = await jobs.boss.getJobById<object>(validateSliceJob.name, id);
        if (job?.state === 'completed') {
          const out = job.output as Partial<ValidationSummary> | null;
          total.lines += out?.lines ?? 0;
          total.evaluated += out?.evaluated ?? 0;
          total.changed += out?.changed ?? 0;
          total.claims_validated += out?.claims_validated ?? 0;
          pending.delete(id);
        } else if (job === null || job.state === 'failed' || job.state === 'cancelled') {
          throw new Error(
            `validation slice ${id} ${job?.state ?? 'vanished'}: ${JSON.stringify(job?.output ?? null)}`,
          );
        }
      }
      opts.onProgress?.(slices.length - pending.size, slices.length);
      if (pending.size > 0) await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await jobs.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    ...total,
    seconds: Number(seconds.toFixed(2)),
    lines_per_s: Math.round(total.lines / Math.max(seconds, 0.001)),
    slices: slices.length,
  };
}
