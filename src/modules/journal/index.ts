// The journal: every posting with its GL accounts (configurable per kind), assembled from the sources the
// modules register, exported as journal.csv and XLSX for the ERP.
export {
  type GlAccounts,
  glAccountsInput,
  type JournalQuery,
  type JournalRow,
  journal,
  journalColumns,
  journalCsv,
  journalFileName,
  journalPeriod,
  journalQuery,
  journalReaders,
  journalSql,
  journalXlsx,
  listGlAccounts,
  setGlAccounts,
} from './journal.ts';
export { type JournalSource, journalSources, registerJournalSource } from './sources.ts';
