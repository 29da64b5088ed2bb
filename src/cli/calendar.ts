import type { Command } from 'commander';
import { isMonth } from '../core/dates.ts';
import { workingDay } from '../modules/calendar/index.ts';
import { outputFor } from './context.ts';
import { UserError } from './output.ts';

export function registerCalendar(program: Command): void {
  const calendar = program
    .command('calendar')
    .description('Working days per country: weekends and the public holidays observed nationwide');

  calendar
    .command('workday')
    .description('Print the date of the N-th working day of a month in a country’s calendar')
    .requiredOption('--country <code>', 'the country (ISO code, e.g. US, GB, DE)')
    .requiredOption('--month <YYYY-MM>', 'the month')
    .requiredOption('--n <N>', 'which working day (1 = the first)')
    .action((opts: { country: string; month: string; n: string }, cmd: Command) => {
      const country = opts.country.trim().toUpperCase();
      if (!/^[A-Z]{2}$/.test(country))
        throw new UserError(`--country ${opts.country}: not a two-letter country code`);
      if (!isMonth(opts.month)) throw new UserError(`--month ${opts.month}: not a month YYYY-MM`);
      const n = Number(opts.n);
      if (!Number.isInteger(n) || n < 1) throw new UserError(`--n ${opts.n}: a whole number from 1`);
      const date = workingDay(country, opts.month, n);
      if (date === null) throw new UserError(`${opts.month} has fewer than ${n} working days in ${country}`);
      outputFor(cmd).result({ country, month: opts.month, n, date }, () => date);
    });
}
