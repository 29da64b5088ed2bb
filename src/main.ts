import { loadConfig } from './config.ts';
import { buildServer } from './http/server.ts';
import { ensureFirstAdministrator } from './modules/identity/index.ts';
import { checkCompanyIdentity, startJobs } from './modules/platform/index.ts';
import { createLogger, onShutdown, openRuntime } from './runtime.ts';

/** `npm start`: the API, the web app and (unless CLEARHOUSE_WORKER=0) a job worker in one process. */
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
// A stop asked for while starting (the embedded PostgreSQL, migrations) is honoured once everything is up, so
// that the database is stopped too instead of being left running by the default action of the signal.
let stopAsked: NodeJS.Signals | undefined;
const whileStarting = (signal: NodeJS.Signals) => {
  stopAsked ??= signal;
};
process.on('SIGINT', whileStarting);
process.on('SIGTERM', whileStarting);
if (!config.databaseUrl) log.info({ home: config.home }, 'starting the embedded PostgreSQL');
// A few connections stay open when the server is idle (and are opened once it has started): a page asks five
// or six questions at once, and each connection opened on demand cost its answer the authentication.
const idleConnections = 6;
const { database, store } = await openRuntime(config, log, { poolMax: 20, poolMin: idleConnections });

const admin = await ensureFirstAdministrator(database.db, config.adminEmail);
if (admin) {
  process.stdout.write(
    `\n  First start: an administrator was created. This password is shown only once.\n\n` +
      `    e-mail:   ${admin.email}\n    password: ${admin.password}\n\n`,
  );
}

const jobs = await startJobs({ ownerUrl: database.ownerUrl, db: database.db, log, work: config.runWorker });
const app = await buildServer({
  db: database.db,
  store,
  logger: log,
  maxUploadBytes: config.maxUploadBytes,
  sessionHours: config.sessionHours,
  secureCookies: config.secureCookies,
  web: { dev: config.dev },
  trustProxy: process.env.CLEARHOUSE_TRUST_PROXY === '1',
});

onShutdown(log, async () => {
  await app.close();
  await jobs.stop();
  await database.close();
  log.info('stopped');
});
process.off('SIGINT', whileStarting);
process.off('SIGTERM', whileStarting);
if (stopAsked) {
  process.kill(process.pid, stopAsked);
} else {
  await app.listen({ port: config.port, host: config.host });
  log.info(`Clearhouse is running at http://localhost:${config.port}`);
  const opening = Array.from({ length: idleConnections }, () => database.pool.query('select 1'));
  await Promise.all(opening).catch(() => undefined);
}
