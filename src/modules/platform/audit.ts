import type { Db } from '../../db/db.ts';

/**
 * The audit trail: every change any capability makes is recorded here with who, when, the entity, what
 * was done, and the record before and after. The table is append-only (see its migration).
 */
export interface AuditEntry {
  entityType: string;
  entityId: string;
  /** The account the entity belongs to ('' for the company's own records); partners see their accounts' events. */
  accountId: string | null;
  action: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditEvent {
  event_id: string;
  entity_type: string;
  entity_id: string;
  account_id: string;
  action: string;
  actor_id: string | null;
  actor_name: string;
  occurred_at: Date;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await recordAuditMany(db, [entry]);
}

/** Records many changes in one statement (bulk loads record every changed row). */
export async function recordAuditMany(db: Db, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.query(
    `insert into audit_events (account_id, entity_type, entity_id, action, actor_id, actor_name, before, after)
     select coalesce(e.account_id, ''), e.entity_type, e.entity_id, e.action, $2, $3, e.before, e.after
     from jsonb_to_recordset($1::jsonb) as e(account_id text, entity_type text, entity_id text, action text,
       before jsonb, after jsonb)`,
    [
      JSON.stringify(
        entries.map((e) => ({
          account_id: e.accountId,
          entity_type: e.entityType,
          entity_id: e.entityId,
          action: e.action,
          before: e.before ?? null,
          after: e.after ?? null,
        })),
      ),
      db.actor.userId,
      db.actor.name,
    ],
  );
}

const eventColumns = `event_id, entity_type, entity_id, account_id, action, actor_id, actor_name, occurred_at,
  before, after`;

export async function listEntityAudit(
  db: Db,
  entityType: string,
  entityId: string,
  /** The owning account, where an entity id is unique only within its account (a partner's claim id). */
  accountId?: string | null,
): Promise<AuditEvent[]> {
  const { rows } = await db.query<AuditEvent>(
    `select ${eventColumns} from audit_events where entity_type = $1 and entity_id = $2
       and ($3::text is null or account_id = $3)
     order by event_id desc`,
    [entityType, entityId, accountId ?? null],
  );
  return rows;
}

export interface RecentAuditQuery {
  entityType?: string | undefined;
  actor?: string | undefined;
  beforeId?: string | undefined;
  limit: number;
}

export async function listRecentAudit(db: Db, q: RecentAuditQuery): Promise<AuditEvent[]> {
  const { rows } = await db.query<AuditEvent>(
    `select ${eventColumns} from audit_events
     where ($1::text is null or entity_type = $1)
       and ($2::text is null or actor_name ilike '%' || $2 || '%' or actor_id = $2)
       and ($3::bigint is null or event_id < $3)
     order by event_id desc limit $4`,
    [q.entityType ?? null, q.actor ?? null, q.beforeId ?? null, q.limit],
  );
  return rows;
}

/** Fields that must never be written to the trail. */
export function redact<T extends Record<string, unknown>>(record: T, fields: readonly string[]): Partial<T> {
  const copy: Record<string, unknown> = { ...record };
  for (const f of fields) delete copy[f];
  return copy as Partial<T>;
}
