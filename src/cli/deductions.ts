import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { deductionResultsCsv, validateDeductions } from '../modules/deductions/index.ts';
import { withDatabase } from './context.ts';

export function registerDeductions(program: Command): void {
  const deductions = program
    .command('deductions')
    .description('Deductions: routing to the owning team, validation against claims (MATCHING.md), export');

  deductions
    .command('validate')
    .description(
      'Route every open deduction to its team and validate every one not yet decided against the customer’s\n' +
        'claims; a valid deduction settles its claims (paid by deduction). Running it again changes nothing decided.',
    )
    .option('--as-of <date>', 'the booking date of settlements (YYYY-MM-DD); default today')
    .action(async (opts: { asOf?: string }, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out }) => {
        const run = await validateDeductions(db, { asOf: opts.asOf });
        out.result(run, () =>
          [
            `Validated ${run.validated} deduction(s) as of ${run.as_of}: valid ${run.valid}, partially valid ${run.partially_valid}, invalid ${run.invalid}, unmatched ${run.unmatched}, not applicable ${run.not_applicable}.`,
            `Claims settled by deduction: ${run.settled_claims}.`,
          ].join('\n'),
        );
      });
    });

  deductions
    .command('export')
    .description('Write deduction_results.csv (FORMATS.md) to a folder')
    .requiredOption('--out <dir>', 'the folder (created when missing)')
    .action(async (opts: { out: string }, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out }) => {
        fs.mkdirSync(opts.out, { recursive: true });
        const file = path.join(opts.out, 'deduction_results.csv');
        fs.writeFileSync(file, await deductionResultsCsv(db));
        out.result({ files: [file] }, () => `Wrote ${file}.`);
      });
    });
}
