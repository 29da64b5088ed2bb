import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import type { AuditEntry } from '../platform/index.ts';
import { recordAuditMany } from '../platform/index.ts';
import type { ProgramTerms, ProgramType } from './program-schemas.ts';
import { canonicalJson } from './program-validation.ts';

/**
 * Program versions: how a validated program becomes a version (new, replacing a draft, or nothing when the
 * terms are the same), and how a version comes into force. Shared by the bulk load, the API and approvals.
 */
export type VersionStatus = 'draft' | 'approved' | 'active' | 'superseded' | 'withdrawn';

export interface ProgramVersionRow {
  program_id: string;
  version: number;
  status: VersionStatus;
  name: string;
  type: ProgramType;
  currency: string;
  country: string | null;
  start_date: string;
  end_date: string;
  claim_window_days: number | null;
  budget: string | null;
  payment_method: string | null;
  sla_business_days: number | null;
  terms: ProgramTerms;
  created_by: string | null;
  created_by_id: string | null;
  created_at: Date;
  approved_by: string | null;
  approved_by_id: string | null;
  approved_at: Date | null;
  activated_by: string | null;
  activated_by_id: string | null;
  activated_at: Date | null;
  superseded_at: Date | null;
}

/** What saving a program did. */
export type SaveOutcome = 'created' | 'version_created' | 'draft_replaced' | 'activated' | 'unchanged';

export async function findVersion(
  db: Db,
  programId: string,
  version: number,
  lock = false,
): Promise<ProgramVersionRow | undefined> {
  const { rows } = await db.query<ProgramVersionRow>(
    `select * from program_versions where program_id = $1 and version = $2${lock ? ' for update' : ''}`,
    [programId, version],
  );
  return rows[0];
}

/** The audit trail's view of a version: its state and every term, flat, so versions diff field by field. */
export function versionView(v: ProgramVersionRow): Record<string, unknown> {
  const { program_id: _id, ...terms } = v.terms;
  return {
    version: v.version,
    status: v.status,
    ...terms,
    created_by: v.created_by,
    approved_by: v.approved_by,
    activated_by: v.activated_by,
  };
}

const stateView = (v: ProgramVersionRow) => ({
  version: v.version,
  status: v.status,
  approved_by: v.approved_by,
  activated_by: v.activated_by,
});

function audit(programId: string, action: string, before?: unknown, after?: unknown): AuditEntry {
  return { entityType: 'program', entityId: programId, accountId: null, action, before, after };
}

function columnsOf(t: ProgramTerms): unknown[] {
  return [
    t.name,
    t.type,
    t.currency,
    t.country ?? null,
    t.start_date,
    t.end_date,
    t.claim_window_days === undefined ? null : Number(t.claim_window_days),
    t.budget ?? null,
    t.payment_method ?? null,
    t.sla_business_days === undefined ? null : Number(t.sla_business_days),
    JSON.stringify(t),
  ];
}
const termColumns = `name, type, currency, country, start_date, end_date, claim_window_days, budget,
  payment_method, sla_business_days, terms`;

async function setPartners(db: Db, t: ProgramTerms, version: number): Promise<void> {
  await db.query('delete from program_partners where program_id = $1 and version = $2', [
    t.program_id,
    version,
  ]);
  if (t.partners?.length) {
    await db.query(
      `insert into program_partners (program_id, version, account_id)
       select $1, $2, unnest($3::text[])`,
      [t.program_id, version, t.partners],
    );
  }
}

/**
 * Stores validated terms: nothing when they equal the latest version's; version 1 of a new program; the
 * latest version replaced in place while it is a never-approved draft; otherwise a new version. With
 * `activate` (the operator's bulk load) the version goes straight into force.
 */
export async function saveProgram(
  db: Db,
  terms: ProgramTerms,
  opts: { activate: boolean },
): Promise<{ outcome: SaveOutcome; version: number }> {
  const id = terms.program_id;
  const actor = db.actor;
  const { rows } = await db.query<ProgramVersionRow>(
    `select v.* from programs p
     join program_versions v on v.program_id = p.program_id and v.version = p.latest_version
     where p.program_id = $1 for update of p`,
    [id],
  );
  const latest = rows[0];

  if (!latest) {
    const inserted = await db.query(
      `insert into programs (program_id, name, type, latest_version) values ($1, $2, $3, 1)
       on conflict (program_id) do nothing`,
      [id, terms.name, terms.type],
    );
    if (!inserted.rowCount) {
      throw new AppError(
        'conflict',
        `The program ${id} was created by someone else at the same moment; send it again.`,
      );
    }
    await db.query(
      `insert into program_versions (program_id, version, status, ${termColumns}, created_by, created_by_id)
       values ($1, 1, 'draft', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [id, ...columnsOf(terms), actor.name, actor.userId],
    );
    await setPartners(db, terms, 1);
    const created = (await findVersion(db, id, 1))!;
    await recordAuditMany(db, [audit(id, 'created', undefined, versionView(created))]);
    if (opts.activate) await approveAndActivate(db, created);
    return { outcome: 'created', version: 1 };
  }

  if (canonicalJson(latest.terms) === canonicalJson(terms)) {
    // The same terms loaded for activation: bring the waiting version into force.
    if (opts.activate && (latest.status === 'draft' || latest.status === 'approved')) {
      await approveAndActivate(db, latest);
      return { outcome: 'activated', version: latest.version };
    }
    return { outcome: 'unchanged', version: latest.version };
  }

  let version: number;
  let outcome: SaveOutcome;
  if (latest.status === 'draft') {
    version = latest.version;
    outcome = 'draft_replaced';
    await db.query(
      `update program_versions set (${termColumns}, created_by, created_by_id, created_at)
         = ($3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, now())
       where program_id = $1 and version = $2`,
      [id, version, ...columnsOf(terms), actor.name, actor.userId],
    );
  } else {
    version = latest.version + 1;
    outcome = 'version_created';
    await db.query(
      `insert into program_versions (program_id, version, status, ${termColumns}, created_by, created_by_id)
       values ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [id, version, ...columnsOf(terms), actor.name, actor.userId],
    );
  }
  await setPartners(db, terms, version);
  await db.query(
    `update programs set latest_version = $2,
       name = case when active_version is null then $3 else name end, updated_at = now()
     where program_id = $1`,
    [id, version, terms.name],
  );
  const saved = (await findVersion(db, id, version))!;
  await recordAuditMany(db, [audit(id, outcome, versionView(latest), versionView(saved))]);
  if (opts.activate) await approveAndActivate(db, saved);
  return { outcome, version };
}

/** Approval of a draft by the acting user (the caller has checked who may approve). */
export async function markApproved(db: Db, v: ProgramVersionRow): Promise<ProgramVersionRow> {
  await db.query(
    `update program_versions set status = 'approved', approved_by = $3, approved_by_id = $4, approved_at = now()
     where program_id = $1 and version = $2`,
    [v.program_id, v.version, db.actor.name, db.actor.userId],
  );
  const approved = (await findVersion(db, v.program_id, v.version))!;
  await recordAuditMany(db, [audit(v.program_id, 'approved', stateView(v), stateView(approved))]);
  return approved;
}

/**
 * Brings an approved version into force: the version in force is superseded, and older versions still
 * waiting (approved, never active) are withdrawn.
 */
export async function markActive(db: Db, v: ProgramVersionRow): Promise<ProgramVersionRow> {
  const entries: AuditEntry[] = [];
  // The version in force is superseded; older versions still waiting can no longer come into force.
  const { rows: others } = await db.query<ProgramVersionRow>(
    `select * from program_versions
     where program_id = $1 and version <> $2
       and (status = 'active' or (version < $2 and status in ('draft', 'approved')))
     order by version for update`,
    [v.program_id, v.version],
  );
  for (const other of others) {
    const status = other.status === 'active' ? 'superseded' : 'withdrawn';
    await db.query(
      `update program_versions set status = $3, superseded_at = case when $3 = 'superseded' then now() end
       where program_id = $1 and version = $2`,
      [other.program_id, other.version, status],
    );
    entries.push(audit(v.program_id, status, stateView(other), { ...stateView(other), status }));
  }
  await db.query(
    `update program_versions set status = 'active', activated_by = $3, activated_by_id = $4, activated_at = now()
     where program_id = $1 and version = $2`,
    [v.program_id, v.version, db.actor.name, db.actor.userId],
  );
  await db.query(
    `update programs set active_version = $2, name = $3, type = $4, updated_at = now() where program_id = $1`,
    [v.program_id, v.version, v.name, v.type],
  );
  const active = (await findVersion(db, v.program_id, v.version))!;
  entries.push(audit(v.program_id, 'activated', stateView(v), stateView(active)));
  await recordAuditMany(db, entries);
  return active;
}

async function approveAndActivate(db: Db, v: ProgramVersionRow): Promise<void> {
  const approved = v.status === 'draft' ? await markApproved(db, v) : v;
  await markActive(db, approved);
}
