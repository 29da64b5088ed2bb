/**
 * The published templates of FORMATS.md, declared once: their columns and types, key, target table, the
 * references they check, and who may load them. The engine turns these declarations into set-based SQL
 * (see checks.ts), so adding a template is adding an entry here.
 */

import { cashTemplates } from './cash-templates.ts';
import { creditTemplates } from './credit-templates.ts';
import { deductionTemplates } from './deduction-templates.ts';
import { ediTemplates } from './edi-templates.ts';
import { importHook, type MergeOptions, vocabulary } from './hooks.ts';
import { reportingTemplates } from './reporting-templates.ts';
import { taxJurisdictionCheck, taxTemplates } from './tax-templates.ts';
import type { ItemLoader } from './types.ts';

export type ColumnType =
  | 'id'
  | 'text'
  | 'date'
  | 'amount'
  | 'price'
  | 'int'
  | 'currency'
  | 'country'
  | 'email'
  | 'routing'
  | 'bank_account'
  | 'serials'
  | { enum: readonly string[] };

export interface Column {
  name: string;
  type: ColumnType;
  required?: boolean;
  /** Value used when the cell is empty. */
  default?: string;
  /** Smallest allowed value for `int`; amounts and prices are never negative unless `signed`. */
  min?: number;
  signed?: boolean;
  /** Decimals allowed in an `amount` (default 2) or a `price` (default 4). */
  scale?: number;
  description: string;
}

/** A reference to another table: the value must exist there (or, for self references, in the same file). */
export interface Reference {
  column: string;
  /** SQL relation to look the value up in: a table, or a set-returning function call. */
  relation: string;
  /** Column of the relation holding the key. */
  key: string;
  reason: string;
  /** Also accept values that rows of the same file define (e.g. a parent account in the same file). */
  orInFile?: string;
  /** Only check when this SQL condition over the row (`v.`) holds. */
  when?: string;
}

/**
 * A row rule spanning columns or tables: `bad` is a SQL condition over the staged row `v` (normalised
 * text columns and `t_<column>` typed ones, null when the cell is absent or invalid) and the references
 * `r_<column>`; `reason` is a SQL text expression.
 */
export interface RowCheck {
  column: string;
  bad: string;
  reason: string;
  /** Extra joins the check needs (`left join … on …` against `v`). */
  join?: string;
}

/** How a load's rows are taken, for the hooks of templates that care. */
export type { MergeOptions };

export interface TableTemplate {
  kind: string;
  format: 'csv';
  label: string;
  description: string;
  /** Load order: a template loads after those it depends on. */
  dependsOn: readonly string[];
  columns: readonly Column[];
  /** The template's key (FORMATS.md). */
  key: readonly string[];
  table: string;
  /** The table's primary key columns, for ON CONFLICT (the key, with account_id first where sharded). */
  conflict: readonly string[];
  /** Table columns filled from the file (the file's columns by default). */
  entityType: string;
  /** SQL for the audit entity id over a row alias `x`. */
  entityId: string;
  /** Column naming the owning account, for row security and partner uploads. */
  accountColumn?: string;
  references: readonly Reference[];
  checks: readonly RowCheck[];
  /** Record an audit event for every created row too (master data), not only for updates. */
  auditInserts: boolean;
  /**
   * Large files: try the streamed load first (streamed.ts: cells checked in Node, typed COPY, set-based
   * checks), which hands any file it cannot accept whole to the checked load.
   */
  streamed?: boolean;
  partnerMayUpload: boolean;
  roles: readonly string[];
  /** Deferred constraints to relax inside the load (rows of one file referring to each other). */
  deferConstraints?: readonly string[];
  /** Runs inside the load's transaction after the merge; returns issues to refuse the file after all. */
  afterMerge?: string;
  /** The file's columns written to the table (default: all); the others feed `beforeMerge`. */
  tableColumns?: readonly string[];
  /** Table columns computed from the row (`v.`) rather than read from the file. */
  derived?: Readonly<Record<string, string>>;
  /**
   * Joins the `derived` expressions read from (`left join accounts d_account on d_account.account_id =
   * v.account_id`), each matching at most one row (a unique key, or one the checks made sure of). A lookup
   * is a join, never a scalar subquery per row: under row-level security the planner may not probe an index
   * with the file's normalised cell (btrim and nullif are not leakproof), so a per-row subquery read the
   * whole table once for every row.
   */
  derivedJoins?: readonly string[];
  /**
   * Runs after every row passed its checks and before the merge, in the load's transaction: `rows` is SQL
   * for the typed rows (with `_line`). Returns problems to refuse the file.
   */
  beforeMerge?: (
    tx: import('../../db/db.ts').Db,
    rows: string,
    options: MergeOptions,
  ) => Promise<import('./types.ts').ImportIssue[]>;
  /** Runs after the load committed (e.g. to queue work the new rows need). */
  afterCommit?: (
    db: import('../../db/db.ts').Db,
    accounts: readonly string[],
    options: MergeOptions,
  ) => Promise<unknown>;
}

export interface ItemTemplate {
  kind: string;
  format: 'json';
  label: string;
  description: string;
  dependsOn: readonly string[];
  key: readonly string[];
  columns: readonly Column[];
  partnerMayUpload: false;
  roles: readonly string[];
  load: () => Promise<ItemLoader>;
}

/**
 * A file in a standard format recognised by its content (bank files: BAI2, camt, NACHA, X12 820), loaded by
 * its own loader inside the load's transaction.
 */
export interface FileTemplate {
  kind: string;
  format: 'bank';
  label: string;
  description: string;
  dependsOn: readonly string[];
  key: readonly string[];
  columns: readonly Column[];
  partnerMayUpload: false;
  roles: readonly string[];
  /** True when the file's first bytes are this template's. */
  sniff: (head: Buffer) => boolean;
  load: (
    tx: import('../../db/db.ts').Db,
    file: { path: string; fileName: string; sha256: string; importId?: string },
  ) => Promise<{
    counts: import('./types.ts').LoadCounts;
    rowsTotal: number;
    issues: import('./types.ts').ImportIssue[];
    /** What the load did, in words, when the counts alone do not say it (X12: sets loaded and refused). */
    message?: string;
    /** Rows the file put into other templates (X12 sets): their after-load work runs as for those templates. */
    loaded?: {
      kind: string;
      counts: import('./types.ts').LoadCounts;
      rowsTotal: number;
      accounts: string[];
    }[];
  }>;
  afterCommit?: (
    db: import('../../db/db.ts').Db,
    accounts: readonly string[],
    options: MergeOptions,
  ) => Promise<unknown>;
}

export type Template = TableTemplate | ItemTemplate | FileTemplate;

const masterDataRoles = ['administrator', 'rebate_analyst', 'manager'] as const;
const accountRoles = ['administrator', 'rebate_analyst', 'collector', 'manager'] as const;
const channelRoles = ['administrator', 'rebate_analyst', 'manager', 'distribution'] as const;

const accounts: TableTemplate = {
  kind: 'accounts',
  format: 'csv',
  label: 'Accounts',
  description: 'Customers and partners: the sold-to / bill-to hierarchy, terms, contacts and bank details.',
  dependsOn: [],
  columns: [
    { name: 'account_id', type: 'id', required: true, description: 'Your account number' },
    { name: 'name', type: 'text', required: true, description: 'Legal name' },
    { name: 'country', type: 'country', required: true, description: 'ISO 3166-1 alpha-2' },
    { name: 'currency', type: 'currency', required: true, description: 'ISO 4217' },
    { name: 'payment_terms_days', type: 'int', min: 0, default: '30', description: 'Days; default 30' },
    { name: 'credit_limit', type: 'amount', description: 'Amount' },
    { name: 'parent_account_id', type: 'id', description: 'Bill-to / sold-to parent' },
    { name: 'collector', type: 'email', description: 'Collector’s e-mail' },
    { name: 'rebate_analyst', type: 'email', description: 'Rebate analyst’s e-mail' },
    { name: 'billing_email', type: 'email', description: 'Billing contact' },
    { name: 'claims_email', type: 'email', description: 'Claims contact' },
    { name: 'segment', type: 'text', description: 'Used by collection strategies' },
    { name: 'bank_routing_number', type: 'routing', description: 'ABA routing number for ACH payments' },
    { name: 'bank_account_number', type: 'bank_account', description: 'Account for ACH payments' },
  ],
  key: ['account_id'],
  table: 'accounts',
  conflict: ['account_id'],
  entityType: 'account',
  entityId: 'x.account_id',
  accountColumn: 'account_id',
  references: [
    {
      column: 'parent_account_id',
      relation: 'accounts',
      key: 'account_id',
      orInFile: 'account_id',
      reason: `'no such account (neither loaded nor in this file)'`,
    },
  ],
  checks: [
    {
      column: 'parent_account_id',
      bad: 'v.parent_account_id = v.account_id',
      reason: `'an account cannot be its own parent'`,
    },
    {
      // Credit limits change only through approved requests (src/modules/credit); a new account starts with one.
      column: 'credit_limit',
      bad: 'v.t_credit_limit is not null and x_limit.account_id is not null and x_limit.credit_limit is distinct from v.t_credit_limit',
      reason: `'the credit limit is ' || coalesce(x_limit.credit_limit::text, 'none') || ': it changes only through an approved credit-limit request'`,
      join: 'left join accounts x_limit on x_limit.account_id = v.account_id',
    },
    {
      column: 'bank_account_number',
      bad: '(v.bank_routing_number is null) <> (v.bank_account_number is null)',
      reason: `'bank_routing_number and bank_account_number go together'`,
    },
  ],
  auditInserts: true,
  partnerMayUpload: false,
  roles: accountRoles,
  deferConstraints: ['accounts_parent_account_id_fkey'],
  afterMerge: `select a.account_id from accounts a where a.parent_account_id is not null
    and exists (select 1 from account_subtree(a.account_id) s where s = a.parent_account_id)`,
};

const products: TableTemplate = {
  kind: 'products',
  format: 'csv',
  label: 'Products',
  description: 'The catalogue: SKU, family, category and list price.',
  dependsOn: [],
  columns: [
    { name: 'sku', type: 'id', required: true, description: 'Stock-keeping unit' },
    { name: 'name', type: 'text', required: true, description: 'Product name' },
    { name: 'family', type: 'text', description: 'Product family' },
    { name: 'category', type: 'text', description: 'Category (programs may name categories)' },
    { name: 'list_price', type: 'price', description: 'List price' },
    { name: 'currency', type: 'currency', description: 'Currency of the list price' },
  ],
  key: ['sku'],
  table: 'products',
  conflict: ['sku'],
  entityType: 'product',
  entityId: 'x.sku',
  references: [],
  checks: [
    {
      column: 'currency',
      bad: 'v.list_price is not null and v.currency is null',
      reason: `'is required with a list_price'`,
    },
  ],
  auditInserts: true,
  partnerMayUpload: false,
  roles: masterDataRoles,
};

const priceChanges: TableTemplate = {
  kind: 'price_changes',
  format: 'csv',
  label: 'Price changes',
  description: 'Price changes by SKU and country; decreases are what price protection pays for.',
  dependsOn: ['products'],
  columns: [
    { name: 'sku', type: 'id', required: true, description: 'SKU' },
    { name: 'country', type: 'country', required: true, description: 'Country' },
    { name: 'effective_date', type: 'date', required: true, description: 'First day of the new price' },
    { name: 'old_price', type: 'price', required: true, description: 'Price before' },
    { name: 'new_price', type: 'price', required: true, description: 'Price from the effective date' },
    { name: 'currency', type: 'currency', required: true, description: 'Currency' },
  ],
  key: ['sku', 'country', 'effective_date'],
  table: 'price_changes',
  conflict: ['sku', 'country', 'effective_date'],
  entityType: 'price_change',
  entityId: `x.sku || '/' || x.country || '/' || x.effective_date`,
  references: [{ column: 'sku', relation: 'products', key: 'sku', reason: `'unknown SKU'` }],
  checks: [],
  auditInserts: true,
  partnerMayUpload: false,
  roles: masterDataRoles,
};

const endCustomers: TableTemplate = {
  kind: 'end_customers',
  format: 'csv',
  label: 'End customers',
  description: 'The partners’ customers that deals and sell-out name.',
  dependsOn: [],
  columns: [
    { name: 'end_customer_id', type: 'id', required: true, description: 'End customer id' },
    { name: 'name', type: 'text', required: true, description: 'Name' },
    { name: 'country', type: 'country', required: true, description: 'Country' },
    { name: 'segment', type: 'text', description: 'Segment' },
  ],
  key: ['end_customer_id'],
  table: 'end_customers',
  conflict: ['end_customer_id'],
  entityType: 'end_customer',
  entityId: 'x.end_customer_id',
  references: [],
  checks: [],
  auditInserts: true,
  partnerMayUpload: false,
  roles: masterDataRoles,
};

const programs: ItemTemplate = {
  kind: 'programs',
  format: 'json',
  label: 'Programs',
  description: 'Rebate programs (the contract): an array of programs, or one program.',
  dependsOn: ['accounts', 'products'],
  key: ['program_id'],
  columns: [
    { name: 'program_id', type: 'id', required: true, description: 'Program id' },
    { name: 'name', type: 'text', required: true, description: 'Name' },
    {
      name: 'type',
      type: { enum: ['special_bid', 'sell_out', 'volume_tier', 'growth', 'price_protection', 'mdf'] },
      required: true,
      description: 'Program type; its terms as in FORMATS.md',
    },
  ],
  partnerMayUpload: false,
  roles: masterDataRoles,
  load: async () => importHook('programs', 'itemLoader'),
};

const deals: TableTemplate = {
  kind: 'deals',
  format: 'csv',
  label: 'Deals',
  description: 'Special-bid deals from the deal desk: partner, end customer, SKU, amount per unit, quantity.',
  dependsOn: ['programs', 'accounts', 'products', 'end_customers'],
  columns: [
    { name: 'deal_id', type: 'id', required: true, description: 'Deal id' },
    { name: 'program_id', type: 'id', required: true, description: 'The special-bid program' },
    { name: 'account_id', type: 'id', required: true, description: 'The partner' },
    { name: 'end_customer_id', type: 'id', description: 'The end customer' },
    { name: 'sku', type: 'id', required: true, description: 'SKU' },
    {
      name: 'authorized_unit_amount',
      type: 'price',
      required: true,
      description: 'Authorised amount per unit',
    },
    { name: 'currency', type: 'currency', required: true, description: 'Currency' },
    { name: 'max_qty', type: 'int', min: 1, required: true, description: 'Maximum quantity' },
    { name: 'start_date', type: 'date', required: true, description: 'Valid from' },
    { name: 'end_date', type: 'date', required: true, description: 'Valid to (inclusive)' },
  ],
  key: ['deal_id'],
  table: 'deals',
  conflict: ['account_id', 'deal_id'],
  entityType: 'deal',
  entityId: 'x.deal_id',
  accountColumn: 'account_id',
  references: [
    { column: 'program_id', relation: 'programs', key: 'program_id', reason: `'unknown program'` },
    { column: 'account_id', relation: 'accounts', key: 'account_id', reason: `'unknown account'` },
    { column: 'sku', relation: 'products', key: 'sku', reason: `'unknown SKU'` },
    {
      column: 'end_customer_id',
      relation: 'known_end_customers()',
      key: 'end_customer_id',
      reason: `'unknown end customer'`,
    },
  ],
  checks: [
    {
      column: 'program_id',
      bad: `r_program_id.type is distinct from 'special_bid'`,
      reason: `'deals belong to special_bid programs; ' || v.program_id || ' is a ' || r_program_id.type || ' program'`,
    },
    { column: 'end_date', bad: 'v.t_end_date < v.t_start_date', reason: `'is before start_date'` },
    {
      column: 'account_id',
      bad: 'x_deal.account_id is not null',
      reason: `'deal ' || v.deal_id || ' already belongs to account ' || x_deal.account_id`,
      join: 'left join deals x_deal on x_deal.deal_id = v.deal_id and x_deal.account_id <> v.account_id',
    },
  ],
  auditInserts: true,
  partnerMayUpload: false,
  roles: masterDataRoles,
};

const sellIn: TableTemplate = {
  kind: 'sell_in',
  format: 'csv',
  label: 'Sell-in',
  description: 'The company’s invoice lines to partners.',
  dependsOn: ['accounts', 'products'],
  columns: [
    { name: 'invoice_id', type: 'id', required: true, description: 'Invoice number' },
    { name: 'line_no', type: 'int', min: 1, required: true, description: 'Invoice line' },
    { name: 'account_id', type: 'id', required: true, description: 'The partner invoiced' },
    { name: 'invoice_date', type: 'date', required: true, description: 'Invoice date' },
    { name: 'sku', type: 'id', required: true, description: 'SKU' },
    { name: 'qty', type: 'int', min: 1, required: true, description: 'Units' },
    { name: 'unit_price', type: 'price', required: true, description: 'Net unit price' },
    { name: 'currency', type: 'currency', required: true, description: 'Currency' },
  ],
  key: ['invoice_id', 'line_no'],
  table: 'sell_in',
  conflict: ['account_id', 'invoice_id', 'line_no'],
  entityType: 'sell_in_line',
  entityId: `x.invoice_id || '/' || x.line_no`,
  accountColumn: 'account_id',
  references: [
    { column: 'account_id', relation: 'accounts', key: 'account_id', reason: `'unknown account'` },
    { column: 'sku', relation: 'products', key: 'sku', reason: `'unknown SKU'` },
  ],
  checks: [
    {
      column: 'account_id',
      bad: 'x_line.account_id is not null',
      reason: `'invoice ' || v.invoice_id || ' line ' || v.line_no || ' already belongs to account ' || x_line.account_id`,
      join: `left join sell_in x_line on x_line.invoice_id = v.invoice_id and x_line.line_no = v.t_line_no
        and x_line.account_id <> v.account_id`,
    },
  ],
  auditInserts: false,
  partnerMayUpload: false,
  roles: channelRoles,
};

const sellOut: TableTemplate = {
  kind: 'sell_out',
  format: 'csv',
  label: 'Sell-out',
  description: 'Partners’ sales to end customers (point-of-sale reports), with serial numbers.',
  dependsOn: ['accounts', 'products', 'end_customers'],
  columns: [
    { name: 'account_id', type: 'id', required: true, description: 'The reporting partner' },
    { name: 'sell_out_ref', type: 'id', required: true, description: 'The partner’s line reference' },
    { name: 'sale_date', type: 'date', required: true, description: 'Sale date' },
    { name: 'sku', type: 'id', required: true, description: 'SKU' },
    { name: 'qty', type: 'int', min: 1, required: true, description: 'Units' },
    { name: 'unit_price', type: 'price', description: 'Selling price per unit' },
    { name: 'currency', type: 'currency', description: 'Currency of the price' },
    { name: 'end_customer_id', type: 'id', description: 'End customer' },
    { name: 'partner_invoice_no', type: 'text', description: 'The partner’s invoice number' },
    { name: 'serial_numbers', type: 'serials', description: 'Serial numbers separated by ;' },
  ],
  key: ['account_id', 'sell_out_ref'],
  table: 'sell_out',
  conflict: ['account_id', 'sell_out_ref'],
  entityType: 'sell_out_line',
  entityId: `x.account_id || '/' || x.sell_out_ref`,
  accountColumn: 'account_id',
  references: [
    { column: 'account_id', relation: 'accounts', key: 'account_id', reason: `'unknown account'` },
    { column: 'sku', relation: 'products', key: 'sku', reason: `'unknown SKU'` },
    {
      column: 'end_customer_id',
      relation: 'known_end_customers()',
      key: 'end_customer_id',
      reason: `'unknown end customer'`,
    },
  ],
  checks: [
    {
      column: 'currency',
      bad: 'v.unit_price is not null and v.currency is null',
      reason: `'is required with a unit_price'`,
    },
  ],
  auditInserts: false,
  streamed: true,
  partnerMayUpload: true,
  roles: channelRoles,
};

const inventory: TableTemplate = {
  kind: 'inventory',
  format: 'csv',
  label: 'Inventory',
  description: 'Partner inventory: snapshots of units on hand, and opening balances.',
  dependsOn: ['accounts', 'products'],
  columns: [
    { name: 'account_id', type: 'id', required: true, description: 'The partner' },
    { name: 'sku', type: 'id', required: true, description: 'SKU' },
    { name: 'as_of_date', type: 'date', required: true, description: 'Day of the count' },
    { name: 'on_hand_qty', type: 'int', min: 0, required: true, description: 'Units on hand' },
    {
      name: 'kind',
      type: { enum: ['snapshot', 'opening'] },
      default: 'snapshot',
      description: 'snapshot (default) or opening',
    },
  ],
  key: ['account_id', 'sku', 'as_of_date', 'kind'],
  table: 'inventory_reports',
  conflict: ['account_id', 'sku', 'as_of_date', 'kind'],
  entityType: 'inventory_report',
  entityId: `x.account_id || '/' || x.sku || '/' || x.as_of_date || '/' || x.kind`,
  accountColumn: 'account_id',
  references: [
    { column: 'account_id', relation: 'accounts', key: 'account_id', reason: `'unknown account'` },
    { column: 'sku', relation: 'products', key: 'sku', reason: `'unknown SKU'` },
  ],
  checks: [],
  auditInserts: false,
  partnerMayUpload: true,
  roles: channelRoles,
};

const listCheck = (column: string, allowed: readonly string[], what: string) => ({
  column,
  bad: `exists (select 1 from unnest(v.t_${column}) e where not (e = any(array[${allowed.map((a) => `'${a}'`).join(', ')}])))`,
  reason: `'${what} ' || (select string_agg(e, ', ') from unnest(v.t_${column}) e
    where not (e = any(array[${allowed.map((a) => `'${a}'`).join(', ')}])))
    || ' unknown: use ${allowed.length > 6 ? 'the rule codes of the claims rules' : allowed.join(', ')}'`,
});

const policies: TableTemplate = {
  kind: 'policies',
  format: 'csv',
  label: 'Policies',
  description:
    'Country and customer policies, effective-dated: rules disabled, grace days, extra documents, SLA, payment methods, overrides needing an approver.',
  dependsOn: ['accounts'],
  columns: [
    {
      name: 'scope',
      type: { enum: ['country', 'account'] },
      required: true,
      description: 'country or account',
    },
    {
      name: 'scope_id',
      type: 'id',
      required: true,
      description: 'The country code (DE) or the account id the policy applies to',
    },
    { name: 'effective_date', type: 'date', required: true, description: 'In force from this date' },
    {
      name: 'disabled_rules',
      type: 'serials',
      description: 'Rule codes that do not run, separated by ;',
    },
    {
      name: 'late_grace_days',
      type: 'int',
      min: 0,
      description: 'Days added to the program claim window (LATE_SUBMISSION)',
    },
    {
      name: 'required_documents',
      type: 'serials',
      description: 'Document types required on top of the program, separated by ;',
    },
    { name: 'sla_business_days', type: 'int', min: 1, description: 'The SLA target instead of the program' },
    {
      name: 'payment_methods',
      type: 'serials',
      description: 'Payment methods claims may be paid by (credit_memo, ach, check, wire), separated by ;',
    },
    {
      name: 'override_approval_rules',
      type: 'serials',
      description: 'Rule codes whose override needs an approver, separated by ;',
    },
    { name: 'note', type: 'text', description: 'Why: the policy document or decision' },
  ],
  key: ['scope', 'scope_id', 'effective_date'],
  table: 'policies',
  conflict: ['scope', 'scope_id', 'effective_date'],
  // A country code is kept upper-case whatever the file wrote.
  tableColumns: [
    'scope',
    'effective_date',
    'disabled_rules',
    'late_grace_days',
    'required_documents',
    'sla_business_days',
    'payment_methods',
    'override_approval_rules',
    'note',
  ],
  derived: { scope_id: `case when v.scope = 'country' then upper(v.scope_id) else v.scope_id end` },
  entityType: 'policy',
  entityId: `x.scope || ':' || x.scope_id || ':' || x.effective_date`,
  references: [],
  // The claims module's rule codes (it registers them): read when a file is checked, not when this loads.
  get checks() {
    const ruleCodes = vocabulary('rule_codes');
    return [
      {
        column: 'scope_id',
        bad: `v.scope = 'country' and not (upper(v.scope_id) = any($2::text[]))`,
        reason: `'is not an ISO 3166-1 alpha-2 country code'`,
      },
      {
        column: 'scope_id',
        bad: `v.scope = 'account' and x_pacc.account_id is null`,
        reason: `'unknown account'`,
        join: 'left join accounts x_pacc on x_pacc.account_id = v.scope_id',
      },
      {
        column: 'disabled_rules',
        bad: `'PROGRAM_UNKNOWN' = any(v.t_disabled_rules)`,
        reason: `'PROGRAM_UNKNOWN cannot be disabled: a claim needs a program in force'`,
      },
      listCheck('disabled_rules', ruleCodes, 'rule code(s)'),
      listCheck('override_approval_rules', ruleCodes, 'rule code(s)'),
      listCheck('payment_methods', ['credit_memo', 'ach', 'check', 'wire'], 'payment method(s)'),
      { column: 'sla_business_days', bad: 'v.t_sla_business_days > 365', reason: `'must be at most 365'` },
      { column: 'late_grace_days', bad: 'v.t_late_grace_days > 3650', reason: `'must be at most 3650'` },
    ];
  },
  auditInserts: true,
  partnerMayUpload: false,
  roles: masterDataRoles,
};

const claimRoles = ['administrator', 'rebate_analyst', 'manager'] as const;

const claims: TableTemplate = {
  kind: 'claims',
  format: 'csv',
  label: 'Claims',
  description: 'Rebate claims, one row per line with the claim’s header fields repeated.',
  dependsOn: [
    'accounts',
    'products',
    'programs',
    'deals',
    'end_customers',
    'sell_in',
    'sell_out',
    'inventory',
  ],
  columns: [
    { name: 'claim_id', type: 'id', required: true, description: 'The partner’s claim number' },
    { name: 'account_id', type: 'id', required: true, description: 'The claiming partner' },
    { name: 'program_id', type: 'id', required: true, description: 'The program claimed under' },
    { name: 'submitted_date', type: 'date', required: true, description: 'Date of submission' },
    { name: 'currency', type: 'currency', required: true, description: 'Currency of the claim' },
    { name: 'line_no', type: 'int', min: 1, required: true, description: 'Line number' },
    { name: 'sku', type: 'id', description: 'SKU (unit programs)' },
    { name: 'qty', type: 'int', min: 1, description: 'Units claimed (unit programs)' },
    { name: 'claimed_unit_amount', type: 'price', description: 'Amount claimed per unit' },
    { name: 'claimed_amount', type: 'amount', required: true, description: 'Amount claimed for the line' },
    {
      name: 'sale_date',
      type: 'date',
      description: 'Date of the sale (unit programs; for price protection the drop date)',
    },
    { name: 'end_customer_id', type: 'id', description: 'End customer' },
    { name: 'deal_id', type: 'id', description: 'Deal (special bids)' },
    { name: 'sell_out_ref', type: 'id', description: 'The sell-out line claimed' },
    { name: 'serial_numbers', type: 'serials', description: 'Serial numbers separated by ;' },
    { name: 'period_start', type: 'date', description: 'Period programs: first day claimed' },
    { name: 'period_end', type: 'date', description: 'Period programs: last day claimed' },
  ],
  // A claim id is the partner's own number, unique within the partner (FORMATS.md).
  key: ['account_id', 'claim_id', 'line_no'],
  table: 'claim_line_inputs',
  conflict: ['account_id', 'claim_id', 'line_no'],
  tableColumns: [
    'account_id',
    'claim_id',
    'line_no',
    'sku',
    'qty',
    'claimed_unit_amount',
    'claimed_amount',
    'sale_date',
    'end_customer_id',
    'deal_id',
    'sell_out_ref',
    'serial_numbers',
    'period_start',
    'period_end',
  ],
  entityType: 'claim_line',
  entityId: `x.claim_id || '/' || x.line_no`,
  accountColumn: 'account_id',
  references: [
    { column: 'account_id', relation: 'accounts', key: 'account_id', reason: `'unknown account'` },
  ],
  checks: [
    {
      column: 'sale_date',
      bad: 'v.sale_date is null and v.period_start is null',
      reason: `'a line needs a sale_date (unit programs) or period_start and period_end (period programs)'`,
    },
    {
      column: 'period_end',
      bad: '(v.period_start is null) <> (v.period_end is null)',
      reason: `'period_start and period_end go together'`,
    },
    { column: 'period_end', bad: 'v.t_period_end < v.t_period_start', reason: `'is before period_start'` },
    { column: 'qty', bad: 'v.sku is not null and v.qty is null', reason: `'is required with a sku'` },
    {
      column: 'claimed_unit_amount',
      bad: 'v.qty is not null and v.claimed_unit_amount is null',
      reason: `'is required with a qty'`,
    },
    {
      column: 'sku',
      bad: 'v.sale_date is not null and v.sku is null',
      reason: `'is required with a sale_date'`,
    },
  ],
  auditInserts: false,
  partnerMayUpload: true,
  roles: claimRoles,
  beforeMerge: (tx, rows, options) => importHook('claims', 'beforeMerge')(tx, rows, options),
  afterCommit: (db, accounts, options) => importHook('claims', 'afterCommit')(db, accounts, options),
};

const claimDocuments: TableTemplate = {
  kind: 'claim_documents',
  format: 'csv',
  label: 'Claim documents',
  description: 'Supporting documents of claims: which document type each file is.',
  dependsOn: ['claims', 'x12'],
  columns: [
    { name: 'claim_id', type: 'id', required: true, description: 'The claim' },
    { name: 'document_type', type: 'id', required: true, description: 'e.g. proof_of_sale' },
    { name: 'file_name', type: 'text', required: true, description: 'The file' },
    {
      name: 'account_id',
      type: 'id',
      description: 'The claiming partner; may be left empty where the claim id names one claim',
    },
  ],
  key: ['claim_id', 'document_type', 'file_name', 'account_id'],
  table: 'claim_documents',
  conflict: ['account_id', 'claim_id', 'document_type', 'file_name'],
  tableColumns: ['claim_id', 'document_type', 'file_name'],
  // The claim as the uploader sees it (row security): the account given, or the one claim of that id.
  derived: { account_id: 'coalesce(v.account_id, d_claim.account_id)' },
  // Only for a row without its account, whose claim id the check below requires to name one claim.
  derivedJoins: ['left join claims d_claim on v.account_id is null and d_claim.claim_id = v.claim_id'],
  entityType: 'claim_document',
  entityId: `x.claim_id || '/' || x.document_type || '/' || x.file_name`,
  references: [],
  checks: [
    {
      column: 'claim_id',
      bad: `v.claim_id is not null and not exists (select 1 from claims c where c.claim_id = v.claim_id
              and (v.account_id is null or c.account_id = v.account_id))`,
      reason: `'unknown claim'`,
    },
    {
      column: 'account_id',
      bad: `v.account_id is null and (select count(*) from claims c where c.claim_id = v.claim_id) > 1`,
      reason: `'the claim id names claims of several partners: give the account_id'`,
    },
  ],
  auditInserts: true,
  partnerMayUpload: true,
  roles: claimRoles,
  afterCommit: (db, accounts, options) => importHook('claim_documents', 'afterCommit')(db, accounts, options),
};

const receivablesRoles = ['administrator', 'collector', 'manager', 'credit'] as const;

const invoices: TableTemplate = {
  kind: 'invoices',
  format: 'csv',
  label: 'Invoices',
  description: 'Receivables documents: invoices, credit and debit memos, non-compliance charges.',
  dependsOn: ['accounts'],
  columns: [
    { name: 'document_id', type: 'id', required: true, description: 'Document number' },
    { name: 'account_id', type: 'id', required: true, description: 'The account invoiced' },
    {
      name: 'type',
      type: { enum: ['invoice', 'credit_memo', 'debit_memo', 'non_compliance_charge'] },
      required: true,
      description: 'invoice, credit_memo, debit_memo or non_compliance_charge (the type gives the sign)',
    },
    { name: 'document_date', type: 'date', required: true, description: 'Document date' },
    { name: 'due_date', type: 'date', description: 'Due date; default document_date + payment terms' },
    { name: 'currency', type: 'currency', required: true, description: 'Currency' },
    { name: 'amount', type: 'amount', required: true, description: 'Amount, positive' },
    { name: 'tax_amount', type: 'amount', description: 'Tax included in the amount' },
    { name: 'reference', type: 'text', description: 'Reference' },
    { name: 'po_number', type: 'text', description: 'Customer purchase order' },
    {
      name: 'tax_jurisdiction',
      type: 'text',
      description:
        'Where the invoice is taxed: a country (DE) or ISO 3166-2 (US-TX); checked against tax-exempt certificates',
    },
  ],
  key: ['document_id'],
  table: 'ar_documents',
  conflict: ['account_id', 'document_id'],
  tableColumns: [
    'document_id',
    'account_id',
    'type',
    'document_date',
    'currency',
    'amount',
    'tax_amount',
    'reference',
    'po_number',
    'tax_jurisdiction',
  ],
  derived: { due_date: 'coalesce(v.t_due_date, v.t_document_date + d_account.payment_terms_days)' },
  derivedJoins: ['left join accounts d_account on d_account.account_id = v.account_id'],
  entityType: 'ar_document',
  entityId: 'x.document_id',
  accountColumn: 'account_id',
  references: [
    { column: 'account_id', relation: 'accounts', key: 'account_id', reason: `'unknown account'` },
  ],
  checks: [
    { column: 'amount', bad: 'v.t_amount <= 0', reason: `'must be greater than zero'` },
    { column: 'due_date', bad: 'v.t_due_date < v.t_document_date', reason: `'is before document_date'` },
    taxJurisdictionCheck('tax_jurisdiction'),
    {
      column: 'account_id',
      bad: 'x_doc.account_id is not null',
      reason: `'document ' || v.document_id || ' already belongs to account ' || x_doc.account_id`,
      join: `left join ar_documents x_doc on x_doc.document_id = v.document_id
        and x_doc.account_id <> v.account_id`,
    },
    {
      column: 'document_id',
      bad: 'x_pay.payment_id is not null',
      reason: `'a payment has this id; a credit memo cannot share it (applications name either)'`,
      join: `left join ar_payments x_pay on x_pay.payment_id = v.document_id and v.type = 'credit_memo'`,
    },
  ],
  auditInserts: false,
  partnerMayUpload: false,
  roles: receivablesRoles,
  beforeMerge: (tx, rows, options) => importHook('invoices', 'beforeMerge')(tx, rows, options),
};

const payments: TableTemplate = {
  kind: 'payments',
  format: 'csv',
  label: 'Payments',
  description: 'Payments received from accounts.',
  dependsOn: ['accounts'],
  columns: [
    { name: 'payment_id', type: 'id', required: true, description: 'Payment id' },
    { name: 'account_id', type: 'id', required: true, description: 'The paying account' },
    { name: 'received_date', type: 'date', required: true, description: 'Date received' },
    { name: 'amount', type: 'amount', required: true, description: 'Amount, positive' },
    { name: 'currency', type: 'currency', required: true, description: 'Currency' },
    { name: 'method', type: 'text', description: 'e.g. wire, ach, check' },
    { name: 'reference', type: 'text', description: 'Reference' },
  ],
  key: ['payment_id'],
  table: 'ar_payments',
  conflict: ['account_id', 'payment_id'],
  entityType: 'ar_payment',
  entityId: 'x.payment_id',
  accountColumn: 'account_id',
  references: [
    { column: 'account_id', relation: 'accounts', key: 'account_id', reason: `'unknown account'` },
  ],
  checks: [
    { column: 'amount', bad: 'v.t_amount <= 0', reason: `'must be greater than zero'` },
    {
      column: 'account_id',
      bad: 'x_pay.account_id is not null',
      reason: `'payment ' || v.payment_id || ' already belongs to account ' || x_pay.account_id`,
      join: `left join ar_payments x_pay on x_pay.payment_id = v.payment_id and x_pay.account_id <> v.account_id`,
    },
    {
      column: 'payment_id',
      bad: 'x_cm.document_id is not null',
      reason: `'a credit memo has this id; a payment cannot share it (applications name either)'`,
      join: `left join ar_documents x_cm on x_cm.document_id = v.payment_id and x_cm.type = 'credit_memo'`,
    },
  ],
  auditInserts: false,
  partnerMayUpload: false,
  roles: receivablesRoles,
  beforeMerge: (tx, rows, options) => importHook('payments', 'beforeMerge')(tx, rows, options),
};

const applications: TableTemplate = {
  kind: 'applications',
  format: 'csv',
  label: 'Applications',
  description: 'A payment or credit memo applied to an invoice (debit memo, charge).',
  dependsOn: ['accounts', 'invoices', 'payments'],
  columns: [
    {
      name: 'payment_id',
      type: 'id',
      required: true,
      description: 'A payment, or a credit memo’s document_id',
    },
    { name: 'document_id', type: 'id', required: true, description: 'The invoice paid' },
    { name: 'applied_date', type: 'date', required: true, description: 'Date of the application' },
    { name: 'amount', type: 'amount', required: true, description: 'Amount applied, positive' },
  ],
  key: ['payment_id', 'document_id'],
  table: 'ar_applications',
  conflict: ['account_id', 'payment_id', 'document_id'],
  derived: { account_id: 'd_document.account_id' },
  derivedJoins: ['left join ar_documents d_document on d_document.document_id = v.document_id'],
  entityType: 'ar_application',
  entityId: `x.payment_id || '/' || x.document_id`,
  references: [
    { column: 'document_id', relation: 'ar_documents', key: 'document_id', reason: `'unknown invoice'` },
    {
      column: 'payment_id',
      relation: 'ar_application_sources',
      key: 'source_id',
      reason: `'unknown payment or credit memo'`,
    },
  ],
  checks: [
    { column: 'amount', bad: 'v.t_amount <= 0', reason: `'must be greater than zero'` },
    {
      column: 'document_id',
      bad: `r_document_id.type = 'credit_memo'`,
      reason: `'is a credit memo; payments and credit memos are applied to invoices, debit memos and charges'`,
    },
    {
      column: 'payment_id',
      bad: 'r_payment_id.account_id <> r_document_id.account_id',
      reason: `'belongs to account ' || r_payment_id.account_id || ', the invoice to account ' || r_document_id.account_id`,
    },
    {
      column: 'payment_id',
      bad: 'r_payment_id.currency <> r_document_id.currency',
      reason: `'currency mismatch: ' || v.payment_id || ' is in ' || r_payment_id.currency || ', '
        || v.document_id || ' in ' || r_document_id.currency`,
    },
    {
      column: 'applied_date',
      bad: 'v.t_applied_date < r_document_id.document_date',
      reason: `'is before the invoice’s document_date ' || r_document_id.document_date`,
    },
    {
      column: 'applied_date',
      bad: 'v.t_applied_date < r_payment_id.source_date',
      reason: `'is before ' || v.payment_id || ' (' || replace(r_payment_id.kind, '_', ' ') || ') is dated, '
        || r_payment_id.source_date`,
    },
  ],
  auditInserts: false,
  partnerMayUpload: false,
  roles: receivablesRoles,
  beforeMerge: (tx, rows, options) => importHook('applications', 'beforeMerge')(tx, rows, options),
};

export const templates: readonly Template[] = [
  accounts,
  products,
  priceChanges,
  endCustomers,
  programs,
  deals,
  policies,
  sellIn,
  sellOut,
  inventory,
  claims,
  claimDocuments,
  invoices,
  payments,
  applications,
  ...ediTemplates,
  ...cashTemplates,
  ...deductionTemplates,
  ...creditTemplates,
  ...taxTemplates,
  ...reportingTemplates,
];

export function findTemplate(kind: string): Template | undefined {
  return templates.find((t) => t.kind === kind);
}

/**
 * Recognises a template from a file name: `sell_out.csv`, `sell_out.xlsx`, `2026-10_sell_out.csv`,
 * `sell_out-week42.csv`. The longest matching kind wins (`claim_documents` before `documents`).
 */
export function templateForFile(fileName: string): Template | undefined {
  const base = fileName
    .replace(/^.*[\\/]/, '')
    .replace(/\.(csv|xlsx|json)$/i, '')
    .toLowerCase()
    .replaceAll('-', '_');
  const candidates = [...templates].sort((a, b) => b.kind.length - a.kind.length);
  return candidates.find(
    (t) =>
      base === t.kind ||
      base.startsWith(`${t.kind}_`) ||
      base.endsWith(`_${t.kind}`) ||
      base.includes(`_${t.kind}_`) ||
      base.startsWith(`${t.kind}.`),
  );
}

/** Templates in load order: each after every template it depends on, otherwise in catalogue order. */
export function loadOrder(kinds: readonly string[]): string[] {
  const order = templates.map((t) => t.kind);
  const wanted = new Set(kinds);
  const done: string[] = [];
  const visit = (kind: string) => {
    if (done.includes(kind)) return;
    for (const d of findTemplate(kind)?.dependsOn ?? []) if (wanted.has(d)) visit(d);
    done.push(kind);
  };
  for (const k of order) if (wanted.has(k)) visit(k);
  for (const k of kinds) if (!done.includes(k)) done.push(k);
  return done;
}
