/** A dispute's timeline: its audit events (every change, comment and document), each in plain words. */
import type { Db } from '../../db/db.ts';
import {
  categoryLabels,
  type DisputeCategory,
  type DisputeTeam,
  disputeCategories,
  disputeTeams,
} from './schemas.ts';

export interface TimelineEntry {
  event_id: string;
  occurred_at: string;
  actor_name: string;
  action: string;
  /** What happened, in words. */
  text: string;
  /** A comment's text, a rejection's reason. */
  note: string | null;
}

export const teamLabels: Record<DisputeTeam, string> = {
  order_management: 'Order management',
  billing: 'Billing',
  distribution: 'Distribution',
};

type Payload = Record<string, unknown> | null;

const str = (p: Payload, key: string): string => {
  const v = p?.[key];
  return v === null || v === undefined ? '' : String(v);
};
const team = (p: Payload, key = 'team'): string => {
  const v = str(p, key);
  return (disputeTeams as readonly string[]).includes(v) ? teamLabels[v as DisputeTeam] : v;
};
const category = (p: Payload): string => {
  const v = str(p, 'category');
  return (disputeCategories as readonly string[]).includes(v) ? categoryLabels[v as DisputeCategory] : v;
};
const person = (p: Payload): string => str(p, 'assignee') || 'nobody (the team’s queue)';

/** One audit event of a dispute in words. */
export function describeEvent(
  action: string,
  before: Payload,
  after: Payload,
): { text: string; note: string | null } {
  switch (action) {
    case 'opened':
      return {
        text: `Opened: ${category(after).toLowerCase()} dispute of ${str(after, 'amount')} ${str(after, 'currency')} on ${str(after, 'document_id')}, routed to ${team(after)}, due ${str(after, 'due_date')}`,
        note: str(after, 'description') || null,
      };
    case 'assigned':
      return {
        text: `Assigned to ${person(after)} (was ${person(before)})`,
        note: str(after, 'note') || null,
      };
    case 'routed':
      return {
        text: `Routed from ${team(before)} to ${team(after)}, due ${str(after, 'due_date')}${str(after, 'assignee') ? `, assigned to ${str(after, 'assignee')}` : ''}`,
        note: str(after, 'note') || null,
      };
    case 'commented':
      return { text: 'Comment', note: str(after, 'body') };
    case 'adjustment_proposed':
      return {
        text: `Proposed ${str(after, 'kind').replaceAll('_', ' ')} ${str(after, 'adjustment_id')} of ${str(after, 'amount')} ${str(after, 'currency')} (${str(after, 'reason_code')}): waits for approval`,
        note: str(after, 'comment') || null,
      };
    case 'adjustment_refused':
      return {
        text: `Adjustment ${str(after, 'adjustment_id')} refused: back in review`,
        note: str(after, 'comment') || null,
      };
    case 'resolved':
      return {
        text: `Resolved: adjustment ${str(after, 'adjustment_id')} approved and posted on ${str(after, 'closed_on')}`,
        note: null,
      };
    case 'rejected':
      return { text: 'Rejected: the invoice stays owed', note: str(after, 'reason') || null };
    case 'withdrawn':
      return { text: 'Withdrawn', note: str(after, 'reason') || null };
    case 'document_attached':
      return { text: `Document attached: ${str(after, 'file_name')}`, note: null };
    default:
      return { text: action.replaceAll('_', ' '), note: null };
  }
}

/** The dispute's events, oldest first. */
export async function disputeTimeline(db: Db, disputeId: string): Promise<TimelineEntry[]> {
  const { rows } = await db.query<{
    event_id: string;
    occurred_at: Date;
    actor_name: string;
    action: string;
    before: Payload;
    after: Payload;
  }>(
    `select event_id::text, occurred_at, actor_name, action, before, after from audit_events
     where entity_type = 'dispute' and entity_id = $1 order by audit_events.event_id limit 1000`,
    [disputeId],
  );
  return rows.map((r) => ({
    event_id: r.event_id,
    occurred_at: r.occurred_at.toISOString(),
    actor_name: r.actor_name,
    action: r.action,
    ...describeEvent(r.action, r.before, r.after),
  }));
}
