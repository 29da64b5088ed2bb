/**
 * How the schema spreads over a distributed PostgreSQL (Citus), table by table. Every table of the public
 * schema is one of three kinds:
 *
 * - distributed by `account_id` (every table not listed below): the large tables. Their primary key and every
 *   foreign key start with `account_id` (or point to a reference table), so an account's rows of every such
 *   table live on one shard and the joins between them stay on it (test/distribution.test.ts checks this
 *   against the migrated schema);
 * - reference tables: small tables copied to every node — master data, configuration, and the few workflow
 *   tables that distributed rows point to by a key of their own (batches, proposals, adjustments);
 * - coordinator tables: kept on the coordinator only (Citus local tables) — sign-in, the bank's files of
 *   the day before a payer is known, per-run rows and the change logs of kept answers.
 *
 * A new table is distributed by default: it needs `account_id` first in its keys, or a place in a list here.
 */

/** Copied to every node: joined from any shard without leaving it. */
export const referenceTables: Readonly<Record<string, string>> = {
  accounts: 'master data (50,000 rows at the benchmark size); its parent links cross accounts',
  products: 'master data',
  price_changes: 'master data',
  end_customers: 'master data (sell-out names end customers of any partner)',
  programs: 'programs and their versions: every claim line is checked against them',
  program_versions: 'see programs',
  program_partners: 'who takes part in a program version; read with the program',
  business_holidays: 'calendar',
  business_holiday_years: 'calendar',
  policies: 'configuration',
  override_approval_rules: 'configuration',
  approval_thresholds: 'configuration',
  approval_limits: 'configuration per user',
  users: 'who may sign in (partner users name their account); read on every request',
  journal_gl_accounts: 'configuration',
  adjustment_reasons: 'configuration',
  collection_strategies: 'configuration',
  strategy_steps: 'configuration',
  deduction_queues: 'configuration',
  deduction_routing_rules: 'configuration (per account or for all)',
  dispute_teams: 'configuration',
  payment_batches: 'a run makes a batch per method and currency; settlement_payments point to it',
  payment_batch_files: 'the files of a batch (a handful per batch)',
  payment_proposals: 'a proposal per run; its lines point to it',
  approval_requests: 'adjustments and other approvals point to them; a few per day',
  approval_decisions: 'one or two per approval request',
  adjustments: 'a request or worksheet may span accounts; its postings point to it',
  adjustment_lines: 'the lines of an adjustment worksheet',
  document_blobs: 'content addresses (sha256, size, type): documents of every account point to them',
  fx_rates: 'exchange rates into the reporting currency: converted in queries over every account',
};

/** Kept on the coordinator (Citus local tables): joined to distributed tables through the coordinator. */
export const coordinatorTables: Readonly<Record<string, string>> = {
  schema_migrations: 'the migrations applied',
  sessions: 'sign-in',
  api_tokens: 'sign-in',
  signin_attempts: 'sign-in',
  signin_throttle: 'sign-in',
  bank_files: "the bank's files: a credit's payer is not known when it arrives",
  bank_statements: 'see bank_files',
  bank_credits: 'see bank_files (a bank day: 100,000 credits at the benchmark size)',
  bank_debits: 'see bank_files',
  bank_credit_refs: "the reference tokens of a credit's text, read when it is stored",
  cash_remittances: 'remittance advice, keyed by the credit it explains',
  cash_runs: 'one row per cash application run',
  month_end_runs: 'one row per month-end run',
  claim_changes: 'change log of kept answers (src/db/kept-answers.ts)',
  position_changes: 'change log of kept answers',
  receivable_changes: 'change log of kept answers',
  settlement_changes: 'change log of kept answers',
  review_packets: 'one WD8 packet per country and month',
  report_schedules: "the managers' report packets",
  report_deliveries: 'one row per schedule and period sent',
  grid_views: "each user's saved grid views (few per user)",
  edi_control_numbers: 'one control-number counter per trading partner, taken under a row lock',
};
