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
import type { MergeOptions } from '../imports/templates.ts';
import type { ImportIssue } from '../imports/types.ts';
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
  // One header per claim: every line repeats the same account, program, date and currency.
  const header = await tx.query<{ line: string; column_name: string; value: string; first: string }>(
    `with n as (select * from ${rows}),
     firsts as (select distinct on (claim_id) claim_id, _line, account_id, program_id, submitted_date, currency
                from n order by claim_id, _line)
     select n._line as line, x.column_name, x.value, f._line::text as first
     from n join firsts f using (claim_id)
     cross join lateral (values
       ('account_id', n.account_id, n.account_id is distinct from f.account_id),
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
  // A claim id belongs to one partner; a decided claim no longer changes.
  const existing = await tx.query<{
    line: string;
    claim_id: string;
    owner: string;
    status: string;
    changed: boolean;
  }>(
    `with n as (select * from ${rows})
     select min(n._line)::text as line, n.claim_id, c.account_id as owner, c.status,
       bool_or(l.line_no is null or (${lineColumns.map((c) => `l.${c}`).join(', ')}) is distinct from (${lineColumns.map((c) => `n.${c}`).join(', ')})
         or (c.program_id, c.submitted_date, c.currency) is distinct from (n.program_id, n.submitted_date, n.currency))
       or exists (select 1 from claim_line_inputs x where x.account_id = c.account_id and x.claim_id = c.claim_id
                  and x.line_no not in (select line_no from n n2 where n2.claim_id = c.claim_id)) as changed
     from n join claim_owners() c on c.claim_id = n.claim_id
     left join claim_line_inputs l on l.account_id = c.account_id and l.claim_id = c.claim_id and l.line_no = n.line_no
     group by n.claim_id, c.account_id, c.status, c.program_id, c.submitted_date, c.currency, c.claim_id`,
  );
  for (const e of existing.rows) {
    const firstLine = Number(e.line);
    const owner = await tx.query<{ account_id: string }>(
      `select account_id from ${rows} where claim_id = $1 limit 1`,
      [e.claim_id],
    );
    if (owner.rows[0] && owner.rows[0].account_id !== e.owner) {
      issues.push({
        line: firstLine,
        column: 'claim_id',
        value: e.claim_id,
        reason: 'this claim id is already used by another partner',
      });
    } else if (options.drafts && e.status !== 'draft') {
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

  const changed = existing.rows.filter((e) => e.changed && e.status !== 'draft').map((e) => e.claim_id);
  const drafts = existing.rows.filter((e) => e.status === 'draft');
  // New claims (drafts when saved as such); changed ones become a new version, submitted again, their old
  // results cleared.
  const created = await tx.query<{ account_id: string; claim_id: string }>(
    `insert into claims (account_id, claim_id, program_id, submitted_date, currency, status, source)
     select distinct on (claim_id) account_id, claim_id, program_id, submitted_date, currency, $1, 'import'
     from ${rows} where claim_id not in (select claim_id from claims)
     order by claim_id, _line
     returning account_id, claim_id`,
    [options.drafts ? 'draft' : 'submitted'],
  );
  const draftEvents = await saveDrafts(
    tx,
    rows,
    drafts.filter((d) => d.changed || !options.drafts).map((d) => d.claim_id),
    options,
  );
  if (changed.length > 0) {
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
       from claims c where c.claim_id = any($1)
       on conflict (account_id, claim_id, version) do nothing`,
      [changed, tx.actor.name],
    );
    // Findings of lines that changed (or went) were about the old figures: the new version is validated
    // afresh. Unchanged lines keep theirs, with any analyst's resolution.
    await tx.query(
      `with n as (select * from ${rows})
       delete from claim_findings f where f.claim_id = any($1)
         and not exists (select 1 from n join claim_line_inputs l
                           on l.account_id = f.account_id and l.claim_id = n.claim_id and l.line_no = n.line_no
                         where n.claim_id = f.claim_id and n.line_no = f.line_no
                           and (${lineColumns.map((c) => `l.${c}`).join(', ')}) is not distinct from (${lineColumns.map((c) => `n.${c}`).join(', ')}))`,
      [changed],
    );
    await tx.query(
      `update claims c set program_id = h.program_id, submitted_date = h.submitted_date, currency = h.currency,
         version = c.version + 1, status = 'submitted', validated_at = null, program_version = null,
         decided_at = null, decided_by = null, updated_at = now()
       from (select distinct on (claim_id) claim_id, program_id, submitted_date, currency from ${rows}
             where claim_id = any($1) order by claim_id, _line) h
       where c.claim_id = h.claim_id`,
      [changed],
    );
    await tx.query(
      `delete from claim_line_inputs l where l.claim_id = any($1)
         and not exists (select 1 from ${rows} where claim_id = l.claim_id and line_no = l.line_no)`,
      [changed],
    );
    // The new version waits for validation: no line has a result yet.
    await tx.query('delete from claim_line_results where claim_id = any($1)', [changed]);
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
     where c.claim_id = any($1)`,
    [[...created.rows.map((r) => r.claim_id), ...changed], tx.actor.userId, tx.actor.name],
  );
  await recordAuditMany(tx, draftEvents);
  return [];
}

/** A claim's header and content (lines, claimed amount) as the audit trail shows a draft. */
const draftSummary = (lines: string) => `jsonb_build_object('status', c.status, 'version', c.version,
  'program_id', c.program_id, 'submitted_date', c.submitted_date, 'currency', c.currency,
  'lines', (select count(*) from ${lines} x where x.claim_id = c.claim_id),
  'claimed_amount', (select coalesce(sum(x.claimed_amount), 0) from ${lines} x where x.claim_id = c.claim_id))`;

/**
 * Drafts saved again (edited: header updated, lines the file no longer has removed; the engine merges the
 * rest) or submitted (`options.drafts` false: status submitted, with the file's submitted date). Returns
 * their audit events, before and after (the lines as the file has them).
 */
async function saveDrafts(
  tx: Db,
  rows: string,
  claimIds: string[],
  options: MergeOptions,
): Promise<AuditEntry[]> {
  if (claimIds.length === 0) return [];
  const { rows: before } = await tx.query<{
    account_id: string;
    claim_id: string;
    before: Record<string, unknown>;
  }>(
    `select c.account_id, c.claim_id, ${draftSummary('claim_lines')} as before
     from claims c where c.claim_id = any($1)`,
    [claimIds],
  );
  await tx.query(
    `update claims c set program_id = h.program_id, submitted_date = h.submitted_date, currency = h.currency,
       status = $2, updated_at = now()
     from (select distinct on (claim_id) claim_id, program_id, submitted_date, currency from ${rows}
           where claim_id = any($1) order by claim_id, _line) h
     where c.claim_id = h.claim_id and c.status = 'draft'`,
    [claimIds, options.drafts ? 'draft' : 'submitted'],
  );
  await tx.query(
    `delete from claim_line_inputs l where l.claim_id = any($1)
       and not exists (select 1 from ${rows} where claim_id = l.claim_id and line_no = l.line_no)`,
    [claimIds],
  );
  const { rows: after } = await tx.query<{ claim_id: string; after: Record<string, unknown> }>(
    `select c.claim_id, ${draftSummary(`(select * from ${rows})`)} as after from claims c where c.claim_id = any($1)`,
    [claimIds],
  );
  const afterById = new Map(after.map((a) => [a.claim_id, a.after]));
  return before.map((b) => ({
    entityType: 'claim',
    entityId: b.claim_id,
    accountId: b.account_id,
    action: options.drafts ? 'draft_saved' : 'submitted',
    before: b.before,
    after: afterById.get(b.claim_id) ?? {},
  }));
}
