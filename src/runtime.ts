import path from 'node:path';
import pino, { type Logger } from 'pino';
import type { Config } from './config.ts';
import { type Database, openDatabase } from './db/connect.ts';
import './modules/index.ts';
import { fileSystemStore } from './modules/platform/index.ts';

/** What every Clearhouse process (server, worker, CLI) starts with. */
export function createLogger(config: Config, destination?: pino.DestinationStream): Logger {
  return pino(
    { level: config.logLevel, base: { service: 'clearhouse' } },
    destination ?? pino.destination(1),
  );
}

export async function openRuntime(
  config: Config,
  log: Logger,
  opts: { poolMax?: number; poolMin?: number; applicationName?: string } = {},
) {
  const database: Database = await openDatabase(config, {
    log: (line) => log.debug(line.trim()),
    poolMax: opts.poolMax,
    poolMin: opts.poolMin,
    applicationName: opts.applicationName,
  });
  const store = fileSystemStore(path.join(config.home, 'documents'));
  return { database, store };
}

/**
 * Runs `stop` once on SIGINT/SIGTERM; a second signal while stopping exits at once.
 */
export function onShutdown(log: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down: finishing requests and jobs');
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
