import { Command, CommanderError } from 'commander';
import { version } from '../http/server.ts';
import { registerAdjustments } from './adjustments.ts';
import { registerCalendar } from './calendar.ts';
import { registerCash } from './cash.ts';
import { registerClaims } from './claims.ts';
import { registerCollections } from './collections.ts';
import { registerCredit } from './credit.ts';
import { registerDb } from './db.ts';
import { registerDeductions } from './deductions.ts';
import { registerDisputes } from './disputes.ts';
import { registerEdi } from './edi.ts';
import { registerGenerate } from './generate.ts';
import { registerImport } from './import.ts';
import { registerKpis } from './kpis.ts';
import { describeError, exitCodeFor } from './output.ts';
import { registerReceivables } from './receivables.ts';
import { registerReviews } from './reviews.ts';
import { registerSettlement } from './settlement.ts';
import { registerTax } from './tax.ts';
import { registerUsers } from './users.ts';

const program = new Command('clearhouse')
  .description(
    'Clearhouse: rebate claims and cash collections.\nUses DATABASE_URL, or the embedded PostgreSQL under CLEARHOUSE_HOME (default ./.clearhouse).',
  )
  .version(version)
  .option('--json', 'print results as JSON')
  .showHelpAfterError()
  .exitOverride();

registerDb(program);
registerImport(program);
registerClaims(program);
registerReceivables(program);
registerCollections(program);
registerSettlement(program);
registerCash(program);
registerDeductions(program);
registerGenerate(program);
registerUsers(program);
registerAdjustments(program);
registerDisputes(program);
registerCredit(program);
registerTax(program);
registerCalendar(program);
registerKpis(program);
registerReviews(program);
registerEdi(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version end here too, with exit code 0.
    process.exit(err.exitCode === 0 ? 0 : 1);
  }
  const code = exitCodeFor(err);
  const json = process.argv.includes('--json');
  const message = code === 2 ? `Internal error: ${describeError(err)}` : describeError(err);
  if (json) process.stdout.write(`${JSON.stringify({ error: { message, exit_code: code } })}\n`);
  process.stderr.write(`clearhouse: ${message}\n`);
  if (code === 2 && process.env.DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(code);
}
