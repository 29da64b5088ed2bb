import { loadConfig } from './config.ts';
import { checkCompanyIdentity, startJobs } from './modules/platform/index.ts';
import { createLogger, onShutdown, openRuntime } from './runtime.ts';

/** `npm run worker`: a job worker only. Run as many as you like, on any machine that reaches the database. */
const config = loadConfig();
const log = createLogger(config);
// The company's identity on every document: a logo that cannot be read stops the start with the reason.
try {
  checkCompanyIdentity();
} catch (err) {
  log.fatal((err as Error).message);
  process.exitCode = 1;
  process.exit();
}
const { database } = await openRuntime(config, log, { poolMax: 10, applicationName: 'clearhouse-worker' });
const jobs = await startJobs({
  ownerUrl: database.ownerUrl,
  db: database.db,
  log,
  work: true,
  concurrency: Number(process.env.CLEARHOUSE_WORKER_CONCURRENCY || 2),
});
onShutdown(log, async () => {
  await jobs.stop();
  await database.close();
});
log.info('worker started');
