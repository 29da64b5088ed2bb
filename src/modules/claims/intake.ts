/**
 * Claims arrive as claims.csv (one row per line, the header fields repeated): the import engine checks each
 * row, then this hook keeps the claims themselves in step — one claim per claim_id, its header the same on
 * every line, a changed claim becoming a new version (submitted again, the old version kept in
 * claim_versions), a decided claim frozen (except a rejected one, which the partner may correct).
 *
 * Drafts (`options.drafts`): a new claim is kept as a draft, not submitted; a draft saved again is edited in
 * place (no new version: it was never submitted); a claim already submitted cannot go back to draft. A draft
 * loaded without `drafts` is submitted with what was sent.
 */
import type { Db } from '../../db/db.ts';
import type { ImportIssue, MergeOptions } from '../imports/index.ts';
import { type AuditEntry, recordAuditMany } from '../platform/index.ts';
import { decidedStatuses } from './inputs.ts';

/** A rejected claim may be corrected and submitted again (a new version); other decisions are final. */
const resubmittable = ['rejected'];

const lineColumns = [
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
];

export async function beforeClaimsMerge(
  tx: Db,
  rows: string,
  options: MergeOptions = { drafts: false },
): Promise<ImportIssue[]> {
  const issues: ImportIssue[] = [];
  // One header per claim (a claim is the partner's claim id: account and claim id): every line repeats the
  // same program, date and currency.
  const header = await tx.query<{ line: string; column_name: string; value: string; first: string }>(
    `with n as (select * from ${rows}),
     firsts as (select distinct on (account_id, claim_id) account_id, claim_id, _line, program_id, submitted_date,
                  currency
                from n order by account_id, claim_id, _line)
     select n._line as line, x.column_name, x.value, f._line::text as first
     from n join firsts f using (account_id, claim_id)
     cross join lateral (values
       ('program_id', n.program_id, n.program_id is distinct from f.program_id),
       ('submitted_date', n.submitted_date::text, n.submitted_date is distinct from f.submitted_date),
       ('currency', n.currency, n.currency is distinct from f.currency)) x(column_name, value, differs)
     where x.differs order by n._line`,
  );
  for (const h of header.rows) {
    issues.push({
      line: Number(h.line),
      column: h.column_name,
      value: h.value,
      reason: `differs from line ${h.first} of the same claim (a claim has one ${h.column_name})`,
    });
  }
  // A claim id is the partner's own number, unique within the partner: another partner's claim with the same
  // id is another claim (and, under row security, not even seen here). A decided claim no longer changes.
  const existing = await tx.query<{
    line: string;
    account_id: string;
    claim_id: string;
    status: string;
    changed: boolean;
  }>(
    `with n as (select * from ${rows})
     select min(n._line)::text as line, c.account_id, c.claim_id, c.status,
       bool_or(l.line_no is null or (${lineColumns.map((c) => `l.${c}`).join(', ')}) is distinct from (${lineColumns.map((c) => `n.${c}`).join(', ')})
         or (c.program_id, c.submitted_date, c.currency) is distinct from (n.program_id, n.submitted_date, n.currency))
       or exists (select 1 from claim_line_inputs x where x.account_id = c.account_id and x.claim_id = c.claim_id
                  and x.line_no not in (select line_no from n n2 where n2.account_id = c.account_id
                                          and n2.claim_id = c.claim_id)) as changed
     from n join claims c on c.account_id = n.account_id and c.claim_id = n.claim_id
     left join claim_line_inputs l on l.account_id = c.account_id and l.claim_id = c.claim_id and l.line_no = n.line_no
     group by c.account_id, c.claim_id, c.status, c.program_id, c.submitted_date, c.currency`,
  );
  for (const e of existing.rows) {
    const firstLine = Number(e.line);
    if (options.drafts && e.status !== 'draft') {
      issues.push({
        line: firstLine,
        column: 'claim_id',
        value: e.claim_id,
        reason: `claim ${e.claim_id} was submitted already; a submitted claim cannot be saved as a draft`,
      });
    } else if (e.changed && decidedStatuses.includes(e.status) && !resubmittable.includes(e.status)) {
      issues.push({
        line: firstLine,
        column: 'claim_id',
        value: e.claim_id,
        reason: `claim ${e.claim_id} is ${e.status.replace('_', ' ')}; it can no longer be changed`,
      });
    }
  }
  if (issues.length > 0) return issues;

  const changed = keysOf(existing.rows.filter((e) => e.changed && e.status !== 'draft'));
  const drafts = existing.rows.filter((e) => e.status === 'draft');
  // New claims (drafts when saved as such); changed ones become a new version, submitted again, their old
  // results cleared.
  const created = await tx.query<{ account_id: string; claim_id: string }>(
    `insert into claims (account_id, claim_id, program_id, submitted_date, currency, status, source)
     select distinct on (n.account_id, n.claim_id) n.account_id, n.claim_id, n.program_id, n.submitted_date,
       n.currency, $1, 'import'
     from ${rows}
     where not exists (select 1 from claims c where c.account_id = n.account_id and c.claim_id = n.claim_id)
     order by n.account_id, n.claim_id, n._line
     returning account_id, claim_id`,
    [options.drafts ? 'draft' : 'submitted'],
  );
  const draftEvents = await saveDrafts(
    tx,
    rows,
    keysOf(drafts.filter((d) => d.changed || !options.drafts)),
    options,
  );
  if (changed.accounts.length > 0) {
    // The version being replaced is kept as it stood: lines with their results, findings and resolutions.
    await tx.query(
      `insert into claim_versions (account_id, claim_id, version, program_id, submitted_date, currency, status,
         validated_at, decided_at, decided_by, claimed_amount, approved_amount, lines, superseded_by)
       select c.account_id, c.claim_id, c.version, c.program_id, c.submitted_date, c.currency, c.status,
         c.validated_at, c.decided_at, c.decided_by,
         (select coalesce(sum(l.claimed_amount), 0) from claim_lines l
          where l.account_id = c.account_id and l.claim_id = c.claim_id),
         (select case when bool_and(l.status is not null) then sum(l.approved_amount) end from claim_lines l
          where l.account_id = c.account_id and l.claim_id = c.claim_id),
         coalesce((select jsonb_agg(to_jsonb(l) - 'account_id' - 'claim_id' - 'updated_at'
             || jsonb_build_object('findings', coalesce((select jsonb_agg(to_jsonb(f) - 'account_id' - 'claim_id'
                  - 'line_no' order by f.rule_code) from claim_findings f
                where f.account_id = l.account_id and f.claim_id = l.claim_id and f.line_no = l.line_no), '[]'))
             order by l.line_no)
           from claim_lines l where l.account_id = c.account_id and l.claim_id = c.claim_id), '[]'),
         $2
       from claims c where ${inKeys('c', '$1', '$3')}
       on conflict (account_id, claim_id, version) do nothing`,
      [changed.accounts, tx.actor.name, changed.claims],
    );
    // Findings of lines that changed (or went) were about the old figures: the new version is validated
    // afresh. Unchanged lines keep theirs, with any analyst's resolution.
    await tx.query(
      `with n as (select * from ${rows})
       delete from claim_findings f where ${inKeys('f', '$1', '$2')}
         and not exists (select 1 from n join claim_line_inputs l
                           on l.account_id = n.account_id and l.claim_id = n.claim_id and l.line_no = n.line_no
                         where n.account_id = f.account_id and n.claim_id = f.claim_id and n.line_no = f.line_no
                           and (${lineColumns.map((c) => `l.${c}`).join(', ')}) is not distinct from (${lineColumns.map((c) => `n.${c}`).join(', ')}))`,
      [changed.accounts, changed.claims],
    );
    await tx.query(
      `update claims c set program_id = h.program_id, submitted_date = h.submitted_date, currency = h.currency,
         version = c.version + 1, status = 'submitted', validated_at = null, program_version = null,
         decided_at = null, decided_by = null, updated_at = now()
       from (select distinct on (account_id, claim_id) account_id, claim_id, program_id, submitted_date, currency
             from ${rows} where ${inKeys('n', '$1', '$2')} order by account_id, claim_id, _line) h
       where c.account_id = h.account_id and c.claim_id = h.claim_id`,
      [changed.accounts, changed.claims],
    );
    await tx.query(
      `delete from claim_line_inputs l where ${inKeys('l', '$1', '$2')}
         and not exists (select 1 from ${rows} where n.account_id = l.account_id and n.claim_id = l.claim_id
                           and n.line_no = l.line_no)`,
      [changed.accounts, changed.claims],
    );
    // The new version waits for validation: no line has a result yet.
    await tx.query(`delete from claim_line_results r where ${inKeys('r', '$1', '$2')}`, [
      changed.accounts,
      changed.claims,
    ]);
  }
  await tx.query(
    `insert into audit_events (account_id, entity_type, entity_id, action, actor_id, actor_name, before, after)
     select c.account_id, 'claim', c.claim_id,
       case when c.status = 'draft' then 'draft_saved' when c.version = 1 then 'submitted' else 'resubmitted' end,
       $2, $3,
       case when v.version is not null then jsonb_build_object('status', v.status, 'version', v.version,
         'submitted_date', v.submitted_date, 'claimed_amount', v.claimed_amount, 'approved_amount', v.approved_amount)
       end,
       jsonb_build_object('status', c.status, 'version', c.version, 'program_id', c.program_id,
         'submitted_date', c.submitted_date, 'currency', c.currency)
     from claims c
     left join claim_versions v on v.account_id = c.account_id and v.claim_id = c.claim_id and v.version = c.version - 1
     where ${inKeys('c', '$1', '$4')}`,
    [
      [...created.rows.map((r) => r.account_id), ...changed.accounts],
      tx.actor.userId,
      tx.actor.name,
      [...created.rows.map((r) => r.claim_id), ...changed.claims],
    ],
  );
  await recordAuditMany(tx, draftEvents);
  return [];
}

/** A claim's header and content (lines, claimed amount) as the audit trail shows a draft. */
const draftSummary = (lines: string) => `jsonb_build_object('status', c.status, 'version', c.version,
  'program_id', c.program_id, 'submitted_date', c.submitted_date, 'currency', c.currency,
  'lines', (select count(*) from ${lines} x where x.account_id = c.account_id and x.claim_id = c.claim_id),
  'claimed_amount', (select coalesce(sum(x.claimed_amount), 0) from ${lines} x
                     where x.account_id = c.account_id and x.claim_id = c.claim_id))`;

/** Claims named by account and claim id (two arrays of the same length). */
export interface ClaimKeys {
  accounts: string[];
  claims: string[];
}

export function keysOf(rows: readonly { account_id: string; claim_id: string }[]): ClaimKeys {
  return { accounts: rows.map((r) => r.account_id), claims: rows.map((r) => r.claim_id) };
}

/** SQL: the row of `alias` is one of the claims given as parameters (account ids, claim ids). */
export const inKeys = (alias: string, accounts: string, claims: string) =>
  `(${alias}.account_id, ${alias}.claim_id) in (select * from unnest(${accounts}::text[], ${claims}::text[]))`;

/**
 * Drafts saved again (edited: header updated, lines the file no longer has removed; the engine merges the
 * rest) or submitted (`options.drafts` false: status submitted, with the file's submitted date). Returns
 * their audit events, before and after (the lines as the file has them).
 */
async function saveDrafts(
  tx: Db,
  rows: string,
  keys: ClaimKeys,
  options: MergeOptions,
): Promise<AuditEntry[]> {
  if (keys.claims.length === 0) return [];
  const { rows: before } = await tx.query<{
    account_id: string;
    claim_id: string;
    before: Record<string, unknown>;
  }>(
    `select c.account_id, c.claim_id, ${draftSummary('claim_lines')} as before
     from claims c where ${inKeys('c', '$1', '$2')}`,
    [keys.accounts, keys.claims],
  );
  await tx.query(
    `update claims c set program_id = h.program_id, submitted_date = h.submitted_date, currency = h.currency,
       status = $2, updated_at = now()
     from (select distinct on (account_id, claim_id) account_id, claim_id, program_id, submitted_date, currency
           from ${rows} where ${inKeys('n', '$1', '$3')} order by account_id, claim_id, _line) h
     where c.account_id = h.account_id and c.claim_id = h.claim_id and c.status = 'draft'`,
    [keys.accounts, options.drafts ? 'draft' : 'submitted', keys.claims],
  );
  await tx.query(
    `delete from claim_line_inputs l where ${inKeys('l', '$1', '$2')}
       and not exists (select 1 from ${rows} where n.account_id = l.account_id and n.claim_id = l.claim_id
                         and n.line_no = l.line_no)`,
    [keys.accounts, keys.claims],
  );
  const { rows: after } = await tx.query<{
    account_id: string;
    claim_id: string;
    after: Record<string, unknown>;
  }>(
    `select c.account_id, c.claim_id, ${draftSummary(`(select * from ${rows})`)} as after from claims c
     where ${inKeys('c', '$1', '$2')}`,
    [keys.accounts, keys.claims],
  );
  const afterById = new Map(after.map((a) => [`${a.account_id}\u0000${a.claim_id}`, a.after]));
  return before.map((b) => ({
    entityType: 'claim',
    entityId: b.claim_id,
    accountId: b.account_id,
    action: options.drafts ? 'draft_saved' : 'submitted',
    before: b.before,
    after: afterById.get(`${b.account_id}\u0000${b.claim_id}`) ?? {},
  }));
}
