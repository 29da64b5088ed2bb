import type { Command } from 'commander';
import { today } from '../core/dates.ts';
import { calendarOf, defaultAsOf, generate } from '../generator/generate.ts';
import { createOutput, UserError } from './output.ts';

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description(
      'Write a realistic, deterministic data set in every template of FORMATS.md (streamed; memory stays flat).\n' +
        'Scale 1 is benchmark size (10 M sell-out lines, about 1 M claim lines and open items); 0.001 a demo.',
    )
    .option('--scale <s>', 'size', '0.001')
    .option('--seed <n>', 'random seed (the same seed gives the same files)', '1')
    .option(
      '--as-of <date>',
      'the last day of the data (YYYY-MM-DD): eleven months of trading end on it, nothing is dated after it; ' +
        '`today` for the current date',
      defaultAsOf,
    )
    .requiredOption('--out <dir>', 'directory to write to')
    .action(async (opts: { scale: string; seed: string; asOf: string; out: string }, cmd: Command) => {
      const scale = Number(opts.scale);
      const seed = Number(opts.seed);
      if (!(scale > 0 && scale <= 10))
        throw new UserError('--scale must be a number above 0 (1 = benchmark size).');
      if (!Number.isInteger(seed)) throw new UserError('--seed must be a whole number.');
      const asOf = opts.asOf === 'today' ? today() : opts.asOf;
      try {
        calendarOf(asOf);
      } catch {
        throw new UserError(`--as-of ${opts.asOf} is not a date (YYYY-MM-DD) or \`today\`.`);
      }
      const out = createOutput(Boolean(cmd.optsWithGlobals().json));
      const started = performance.now();
      const summary = await generate({ scale, seed, asOf, out: opts.out });
      const seconds = (performance.now() - started) / 1000;
      out.result({ ...summary, as_of: asOf, seconds: Number(seconds.toFixed(1)), out: opts.out }, () =>
        [
          `Wrote ${opts.out} in ${seconds.toFixed(1)} s: ${summary.partners} partners, ${summary.skus} products, data up to ${asOf}.`,
          ...Object.entries(summary.files).map(([f, n]) => `  ${f.padEnd(22)} ${n.toLocaleString('en-US')}`),
        ].join('\n'),
      );
    });
}
