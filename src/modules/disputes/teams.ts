/** The teams disputes are routed to, and the SLA in business days each works to (administered). */
import { today } from '../../core/dates.ts';
import { notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { recordAudit } from '../platform/index.ts';
import { requireDisputes, teamAdministrators } from './roles.ts';
import { type DisputeTeam, disputeTeams, type TeamSlaInput, teamSlaInput } from './schemas.ts';

export interface Team {
  team: DisputeTeam;
  name: string;
  sla_business_days: number;
  updated_at: string;
  updated_by: string | null;
  /** Active disputes with the team now, and how many of them are past their due date. */
  active: number;
  overdue: number;
}

const teamColumns = (on: string) => `t.team, t.name, t.sla_business_days,
  to_char(t.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as updated_at, t.updated_by,
  (select count(*)::int from disputes d where d.team = t.team and d.state in ('open', 'in_review')) as active,
  (select count(*)::int from disputes d where d.team = t.team and d.state in ('open', 'in_review')
     and d.due_date < ${on}::date) as overdue`;

export async function listTeams(db: Db): Promise<Team[]> {
  requireDisputes(db);
  const { rows } = await db.query<Team>(`select ${teamColumns('$1')} from dispute_teams t order by t.team`, [
    today(),
  ]);
  return rows;
}

/** Changes a team's SLA (administrators and managers); disputes routed from now on take it. */
export async function setTeamSla(db: Db, team: string, raw: TeamSlaInput): Promise<Team> {
  requireDisputes(db, teamAdministrators);
  if (!(disputeTeams as readonly string[]).includes(team)) throw notFound(`The team ${team}`);
  const input = teamSlaInput.parse(raw);
  return db.tx(async (tx) => {
    const { rows: before } = await tx.query<{ sla_business_days: number }>(
      'select sla_business_days from dispute_teams where team = $1 for update',
      [team],
    );
    await tx.query(
      `update dispute_teams set sla_business_days = $2, updated_at = now(), updated_by = $3 where team = $1`,
      [team, input.sla_business_days, tx.actor.name],
    );
    await recordAudit(tx, {
      entityType: 'dispute_team',
      entityId: team,
      accountId: null,
      action: 'sla_changed',
      before: before[0] ?? null,
      after: { sla_business_days: input.sla_business_days },
    });
    const { rows } = await tx.query<Team>(
      `select ${teamColumns('$2')} from dispute_teams t where t.team = $1`,
      [team, today()],
    );
    return rows[0]!;
  });
}
