/** Imports as the server describes them: the published templates and the history of every load. */
import { formatCount as localeCount } from '../../ui/money';

export interface TemplateColumn {
  name: string;
  required: boolean;
  type: string;
  description: string;
}

export interface ImportTemplate {
  kind: string;
  file_name: string;
  label: string;
  description: string;
  format: 'csv' | 'json' | 'bank';
  /** The columns that identify a row: loading a row with the same key again updates it or changes nothing. */
  key: string[];
  /** Templates whose data must already be loaded (a sell-out line names accounts and products). */
  depends_on: string[];
  partner_may_upload: boolean;
  columns: TemplateColumn[];
}

/** One problem with one row: the line (the header is line 1), the column, the value as read, and why. */
export interface ImportIssue {
  line: number | null;
  column: string | null;
  value: string | null;
  reason: string;
}

// Row counts are bigint in the database; they may arrive as numbers or as digit strings.
type Count = number | string;

export interface ImportRecord {
  import_id: string;
  account_id: string;
  kind: string;
  file_name: string | null;
  sha256: string | null;
  size_bytes: Count | null;
  source: 'cli' | 'api' | 'web' | 'job';
  status: 'loaded' | 'rejected';
  rows_total: Count;
  rows_inserted: Count;
  rows_updated: Count;
  rows_unchanged: Count;
  rows_rejected: Count;
  error_count: Count;
  /** An earlier load of the very same file (same SHA-256 and template). */
  same_file_as: string | null;
  message: string | null;
  actor_name: string;
  started_at: string;
  finished_at: string;
  duration_ms: Count | null;
  /** On the upload response and on the detail only. */
  errors?: ImportIssue[];
}

export const importers = ['administrator', 'rebate_analyst', 'manager', 'collector', 'distribution'] as const;

export function count(value: Count | null | undefined): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}

export function formatCount(value: Count | null | undefined): string {
  return localeCount(count(value));
}

/** 'sell_out' → 'Sell out' when the template list is not at hand. */
export function kindLabel(kind: string, templates?: readonly ImportTemplate[]): string {
  const template = templates?.find((candidate) => candidate.kind === kind);
  if (template) return template.label;
  const words = kind.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The first 12 hex digits: enough to tell files apart at a glance; the full hash is one hover away. */
export function shortSha(sha256: string | null | undefined): string {
  return sha256 ? sha256.slice(0, 12) : '';
}

/** 840 → '0.8 s', 75000 → '1 min 15 s'. */
export function formatDuration(ms: Count | null | undefined): string {
  if (ms === null || ms === undefined || ms === '') return '';
  const total = count(ms);
  if (total < 1000) return `${(total / 1000).toFixed(total < 100 ? 2 : 1)} s`;
  const seconds = total / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

export const sourceLabels: Record<ImportRecord['source'], string> = {
  web: 'Web upload',
  api: 'API',
  cli: 'Command line',
  job: 'Scheduled job',
};

export function importPath(importId: string): string {
  return `/imports/${encodeURIComponent(importId)}`;
}

export function rejectedRowsUrl(importId: string): string {
  return `/api/imports/${encodeURIComponent(importId)}/rejected.csv`;
}

/** An empty CSV with the template's header row, for a user preparing a file by hand. */
export function headerCsvUrl(template: ImportTemplate): string {
  const header = template.columns.map((column) => column.name).join(',');
  return `data:text/csv;charset=utf-8,${encodeURIComponent(`${header}\r\n`)}`;
}
