/**
 * The journal is assembled from sources that the modules owning the postings register: each source is one
 * SQL select over its own tables, returning the postings dated between $1 and $2 (dates) as rows of
 *
 *   entry_id text      -- stable and unique across sources: a prefix of the source, then its own key
 *   entry_date date
 *   kind text          -- the journal kind (FORMATS.md): cash, on_account, deduction, credit_memo, …, reversal
 *   gl_kind text       -- whose GL accounts it posts to (journal_gl_accounts.kind); a reversal names the kind it reverses
 *   swap boolean       -- true: debit the kind's credit account and credit its debit account (reversals)
 *   account_id text, document_id text, amount numeric (positive), currency text, reference text
 *
 * The journal module knows no other module's tables; it unions the sources and maps gl_kind to accounts.
 */
export interface JournalSource {
  /** A name for errors and documentation: the module and what it posts. */
  name: string;
  /** The journal kinds it produces. */
  kinds: readonly string[];
  sql: string;
}

const sources = new Map<string, JournalSource>();

export function registerJournalSource(source: JournalSource): void {
  sources.set(source.name, source);
}

export function journalSources(): JournalSource[] {
  return [...sources.values()];
}
