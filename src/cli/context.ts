import os from 'node:os';
import type { Command } from 'commander';
import pino from 'pino';
import { type Config, loadConfig } from '../config.ts';
import type { PoolDb } from '../db/db.ts';
import { systemActor } from '../db/db.ts';
import type { DocumentStore } from '../modules/platform/index.ts';
import { openRuntime } from '../runtime.ts';
import { createOutput, type Output } from './output.ts';

export interface CliContext {
  config: Config;
  out: Output;
  db: PoolDb;
  ownerUrl: string;
  store: DocumentStore;
}

/** The options every command shares, read from the root program. */
export function outputFor(cmd: Command): Output {
  return createOutput(Boolean(cmd.optsWithGlobals().json));
}

/**
 * Opens the database the same way the server does (DATABASE_URL, or the embedded one under
 * CLEARHOUSE_HOME, started if needed and stopped again afterwards), runs `fn`, and closes.
 */
export async function withDatabase<T>(cmd: Command, fn: (ctx: CliContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const out = outputFor(cmd);
  const log = pino({ level: process.env.LOG_LEVEL || 'warn' }, pino.destination(2));
  const { database, store } = await openRuntime(config, log, {
    poolMax: 4,
    applicationName: 'clearhouse-cli',
  });
  try {
    const db = database.db.as(systemActor(`cli:${os.userInfo().username}`));
    return await fn({ config, out, db, ownerUrl: database.ownerUrl, store });
  } finally {
    await database.close();
  }
}
