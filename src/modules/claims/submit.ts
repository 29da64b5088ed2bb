/**
 * A claim submitted as JSON (the portal form, the REST API) is written as a claims.csv of its lines and
 * loaded by the import engine, so it passes exactly the checks a file passes and is versioned the same way:
 * the same claim again changes nothing, a corrected one becomes a new version. An `Idempotency-Key` with the
 * same body returns the first response. With `draft` the claim is saved as a draft (the same checks, but not
 * submitted, so not validated); a draft sent again without `draft` is submitted with what was sent.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { today } from '../../core/dates.ts';
import { AppError, type FieldIssue } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { findTemplate, runImport } from '../imports/index.ts';
import { type ClaimListItem, getClaim } from './queries.ts';

export interface SubmitLine {
  line_no: number;
  sku?: string | null | undefined;
  qty?: number | string | null | undefined;
  claimed_unit_amount?: string | null | undefined;
  claimed_amount: string;
  sale_date?: string | null | undefined;
  end_customer_id?: string | null | undefined;
  deal_id?: string | null | undefined;
  sell_out_ref?: string | null | undefined;
  serial_numbers?: string[] | string | null | undefined;
  period_start?: string | null | undefined;
  period_end?: string | null | undefined;
}

export interface SubmitBody {
  claim_id: string;
  account_id: string;
  program_id: string;
  submitted_date?: string | null | undefined;
  currency: string;
  lines: SubmitLine[];
}

/**
 * created: a new claim (or a new draft); resubmitted: a new version of a submitted claim; submitted: a draft
 * submitted; updated: a draft saved with changes; unchanged: nothing to change.
 */
export type SubmitOutcome = 'created' | 'resubmitted' | 'submitted' | 'updated' | 'unchanged';

export interface SubmitResponse {
  outcome: SubmitOutcome;
  import_id: string;
  claim: ClaimListItem;
}

export interface SubmitResult {
  status: 200 | 201;
  body: SubmitResponse;
  /** True when an earlier response was returned for the same idempotency key. */
  replayed: boolean;
}

const headerFields = ['claim_id', 'account_id', 'program_id', 'submitted_date', 'currency'] as const;
const lineFields = [
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
] as const;

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(String).join(';');
  return String(v);
};

/** The canonical body (submitted date filled in) whose hash identifies a request. */
function canonical(body: SubmitBody, submittedDate: string, draft: boolean): string {
  return JSON.stringify({
    draft,
    ...Object.fromEntries(headerFields.map((f) => [f, f === 'submitted_date' ? submittedDate : body[f]])),
    lines: body.lines.map((l) => Object.fromEntries(lineFields.map((f) => [f, cell(l[f])]))),
  });
}

export async function submitClaim(
  db: Db,
  body: SubmitBody,
  opts: { idempotencyKey?: string | undefined; draft?: boolean | undefined } = {},
): Promise<SubmitResult> {
  const draft = opts.draft ?? false;
  if (body.lines.length === 0) {
    throw new AppError('validation_failed', 'A claim needs at least one line.', {
      issues: [{ field: 'lines', message: 'at least one line is required' }],
    });
  }
  const submittedDate = body.submitted_date || today();
  const key = opts.idempotencyKey?.trim();
  const sha = createHash('sha256')
    .update(canonical(body, submittedDate, draft))
    .digest('hex');
  if (key) {
    const { rows } = await db.query<{
      request_sha256: string;
      status_code: number;
      response: SubmitResponse;
    }>(
      `select request_sha256, status_code, response from claim_idempotency
       where account_id = $1 and idempotency_key = $2`,
      [body.account_id, key],
    );
    const earlier = rows[0];
    if (earlier) {
      if (earlier.request_sha256 !== sha) {
        throw new AppError(
          'conflict',
          'This Idempotency-Key was already used for a different request; use a new key for a new request.',
        );
      }
      return { status: earlier.status_code as 200 | 201, body: earlier.response, replayed: true };
    }
  }

  const before = await db.query<{ version: number; status: string; updated_at: Date }>(
    'select version, status, updated_at from claims where account_id = $1 and claim_id = $2',
    [body.account_id, body.claim_id],
  );
  const columns = findTemplate('claims')!.columns.map((c) => c.name);
  const csv = stringify([
    columns,
    ...body.lines.map((l) =>
      columns.map((c) => {
        if (c === 'submitted_date') return submittedDate;
        if ((headerFields as readonly string[]).includes(c)) return cell(body[c as keyof SubmitBody]);
        return cell(l[c as keyof SubmitLine]);
      }),
    ),
  ]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-claim-'));
  let result: Awaited<ReturnType<typeof runImport>>;
  try {
    const file = path.join(dir, 'claims.csv');
    fs.writeFileSync(file, csv);
    result = await runImport(db, {
      path: file,
      fileName: 'claims.csv',
      kind: 'claims',
      source: 'api',
      drafts: draft,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (result.status === 'rejected') {
    const issues: FieldIssue[] = result.errors.map((e) => {
      const index = e.line !== null ? e.line - 2 : -1;
      const column = e.column ?? '';
      const field =
        (headerFields as readonly string[]).includes(column) || index < 0
          ? column || 'lines'
          : `lines.${index}${column ? `.${column}` : ''}`;
      return { field, message: e.value ? `${e.reason} (${e.value})` : e.reason };
    });
    throw new AppError('validation_failed', `The claim was refused: ${result.message}`, {
      issues,
      details: { import_id: result.import_id },
    });
  }

  const claim = (await getClaim(db, { claim_id: body.claim_id, account_id: body.account_id })).claim;
  const earlier = before.rows[0];
  const outcome: SubmitOutcome = !earlier
    ? 'created'
    : earlier.status === 'draft' && claim.status !== 'draft'
      ? 'submitted'
      : claim.version > earlier.version
        ? 'resubmitted'
        : claim.status === 'draft' && claim.updated_at !== earlier.updated_at.toISOString()
          ? 'updated'
          : 'unchanged';
  const { program_version: _v, created_at: _c, updated_at: _u, ...header } = claim;
  const response: SubmitResponse = { outcome, import_id: result.import_id, claim: header };
  const status = outcome === 'unchanged' || outcome === 'updated' ? 200 : 201;
  if (key) {
    const stored = await db.query<{ status_code: number; response: SubmitResponse }>(
      `insert into claim_idempotency (account_id, idempotency_key, request_sha256, status_code, response, actor_id)
       values ($1, $2, $3, $4, $5, $6)
       on conflict (account_id, idempotency_key) do update set account_id = excluded.account_id
       returning status_code, response`,
      [body.account_id, key, sha, status, JSON.stringify(response), db.actor.userId],
    );
    const first = stored.rows[0]!;
    return { status: first.status_code as 200 | 201, body: first.response, replayed: false };
  }
  return { status, body: response, replayed: false };
}
