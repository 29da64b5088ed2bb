/** One problem with one row of a file: the line (header = line 1), column, value as read, and why. */
export interface ImportIssue {
  line: number | null;
  column: string | null;
  value: string | null;
  reason: string;
}

/** What a load did to the rows it was given (every row is exactly one of these). */
export interface LoadCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/**
 * A loader for a template that is not a flat table (programs.json): runs inside the load's transaction and
 * returns its issues instead of writing when anything is wrong (the engine then rolls back).
 */
export type ItemLoader = (
  tx: import('../../db/db.ts').Db,
  items: readonly unknown[],
  opts: { activate: boolean },
) => Promise<{ counts: LoadCounts; issues: ImportIssue[] }>;
