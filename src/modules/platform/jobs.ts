import { PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type { PoolDb } from '../../db/db.ts';
import { systemActor } from '../../db/db.ts';

/**
 * Background work (validation runs, statement runs, month end, reminders, escalations) as jobs in
 * PostgreSQL through pg-boss. Any number of worker processes may run: a job is fetched with
 * `FOR UPDATE SKIP LOCKED`, so it is done once; a worker that dies leaves its job to expire and be retried.
 */
export interface JobContext {
  /** The database acting as this job (audit entries name it). */
  db: PoolDb;
  log: Logger;
  signal: AbortSignal;
}

export interface JobDefinition<T extends object = object> {
  name: string;
  /** Cron expression (server time zone UTC unless `tz`), for scheduled jobs. */
  schedule?: string;
  tz?: string;
  retryLimit?: number;
  expireInSeconds?: number;
  /** Jobs of this kind one process runs at once, if fewer than the process's concurrency. */
  concurrency?: number;
  handler(ctx: JobContext, data: T): Promise<unknown>;
}

const definitions = new Map<string, JobDefinition>();

export function defineJob<T extends object>(def: JobDefinition<T>): JobDefinition<T> {
  definitions.set(def.name, def as unknown as JobDefinition);
  return def;
}

export function jobDefinitions(): JobDefinition[] {
  return [...definitions.values()];
}

export interface Jobs {
  boss: PgBoss;
  send(
    name: string,
    data?: object,
    options?: { singletonKey?: string; startAfter?: Date | number },
  ): Promise<string | null>;
  stop(): Promise<void>;
}

export interface StartJobsOptions {
  ownerUrl: string;
  db: PoolDb;
  log: Logger;
  /** Fetch and run jobs here (a worker); false only produces jobs. */
  work: boolean;
  /** Jobs to run in this process; default all defined jobs. */
  only?: readonly string[];
  concurrency?: number;
  /** How often an idle worker looks for new jobs (pg-boss's minimum is 0.5 s). */
  pollingIntervalSeconds?: number;
}

/** The job queue of this process, once started (the server and workers start one; the CLI does not). */
let running: Jobs | undefined;

/**
 * Queues a job when this process has a job queue; returns false when it has none (the caller then does the
 * work itself or leaves it to a scheduled run).
 */
export async function enqueue(
  name: string,
  data: object = {},
  options: { singletonKey?: string } = {},
): Promise<boolean> {
  if (!running) return false;
  await running.send(name, data, options);
  return true;
}

export async function startJobs(opts: StartJobsOptions): Promise<Jobs> {
  const boss = new PgBoss({
    connectionString: opts.ownerUrl,
    application_name: opts.work ? 'clearhouse-worker' : 'clearhouse-api',
    max: 4,
    migrate: false,
    supervise: opts.work,
    schedule: opts.work,
  });
  boss.on('error', (err) => opts.log.error({ err }, 'job queue error'));
  await boss.start();
  const defs = jobDefinitions().filter((d) => !opts.only || opts.only.includes(d.name));
  for (const def of jobDefinitions()) {
    await boss.createQueue(def.name, {
      retryLimit: def.retryLimit ?? 3,
      retryBackoff: true,
      expireInSeconds: def.expireInSeconds ?? 15 * 60,
    });
  }
  if (opts.work) {
    for (const def of defs) {
      const jobDb = opts.db.as(systemActor(`job:${def.name}`));
      await boss.work<object>(
        def.name,
        {
          localConcurrency: Math.min(opts.concurrency ?? 2, def.concurrency ?? Number.POSITIVE_INFINITY),
          pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 1,
        },
        async (batch) => {
          // A job's result is kept as its output (batches are of one job).
          let output: unknown;
          for (const job of batch) {
            const log = opts.log.child({ job: def.name, jobId: job.id });
            const started = Date.now();
            output = await def.handler({ db: jobDb, log, signal: job.signal }, job.data);
            log.info({ ms: Date.now() - started }, 'job done');
          }
          return output;
        },
      );
      if (def.schedule) await boss.schedule(def.name, def.schedule, null, def.tz ? { tz: def.tz } : {});
    }
  }
  const jobs: Jobs = {
    boss,
    send: (name, data = {}, options = {}) => boss.send(name, data, options),
    // Graceful: stop fetching, let running jobs finish (up to 30 s), then release the rest to be retried.
    stop: async () => {
      if (running === jobs) running = undefined;
      await boss.stop({ graceful: true, timeout: 30_000, close: true });
    },
  };
  running = jobs;
  return jobs;
}
