// The business-day calendar of every country: working days, business-day counts and their SQL copy.
export { ensureHolidays, type HolidayYear } from './holiday-tables.ts';
export {
  addBusinessDays,
  businessDaysBetween,
  isBusinessDay,
  isWeekend,
  nextBusinessDay,
  publicHolidays,
  workingDay,
} from './working-days.ts';
