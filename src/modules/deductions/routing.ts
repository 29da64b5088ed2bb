/**
 * Which team works a deduction: its category's queue (MATCHING.md "Category and queue") unless a routing rule
 * sends it elsewhere — per account, category and customer reason code, the most specific rule winning — or a
 * person moved it (reassign: the new team's SLA clock starts that day).
 */
import { today } from '../../core/dates.ts';
import { AppError, notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { addBusinessDays } from '../calendar/index.ts';
import { requireInternal, requireRole } from '../identity/index.ts';
import { recordAudit } from '../platform/index.ts';
import {
  type ReassignInput,
  type RoutingRuleInput,
  reassignInput,
  routingRuleInput,
} from './action-schemas.ts';
import { categorySql, type DeductionQueue, queueSql } from './categories.ts';
import { deductionForAction, deductionLeads, requireStatus } from './desk.ts';

/**
 * SQL: the queue of deduction row `row` (alias) whose category is the SQL expression `category`: the most
 * specific routing rule covering it (the account's own rule before any account's, a rule naming the reason
 * code before one that does not, one naming the category before one that does not), else the category's
 * queue. Validation sets the queue of the deductions no person moved with it:
 *   update deductions d set category = <cat>, queue = ${routeQueueSql('d', '<cat>')} where d.queue_set_by is null
 */
export function routeQueueSql(row = 'd', category = categorySql): string {
  return `coalesce((select rr.queue from deduction_routing_rules rr
    where (rr.account_id is null or rr.account_id = ${row}.account_id)
      and (rr.category is null or rr.category = ${category})
      and (rr.customer_code is null or rr.customer_code = ${row}.reason_code)
    order by (rr.account_id is not null) desc, (rr.customer_code is not null) desc,
      (rr.category is not null) desc, rr.rule_id
    limit 1), ${queueSql(category)})`;
}

export interface RoutingRule {
  rule_id: string;
  account_id: string | null;
  account_name: string | null;
  category: string | null;
  customer_code: string | null;
  queue: DeductionQueue;
  note: string | null;
  created_by: string | null;
  updated_at: string;
}

/** Who changes the routing rules, the reason-code mappings and the queues. */
export const deductionAdmins = deductionLeads;

const ruleColumns = `r.rule_id::text, r.account_id, a.name as account_name, r.category, r.customer_code, r.queue,
  r.note, coalesce((select u.name from users u where u.user_id::text = r.created_by), r.created_by) as created_by,
  r.updated_at`;

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));

async function readRule(db: Db, ruleId: number | string): Promise<RoutingRule | undefined> {
  const { rows } = await db.query<RoutingRule>(
    `select ${ruleColumns} from deduction_routing_rules r left join accounts a on a.account_id = r.account_id
     where r.rule_id = $1`,
    [ruleId],
  );
  return rows[0] ? { ...rows[0], updated_at: iso(rows[0].updated_at) } : undefined;
}

export async function listRoutingRules(db: Db): Promise<RoutingRule[]> {
  requireInternal(db.actor);
  const { rows } = await db.query<RoutingRule>(
    `select ${ruleColumns} from deduction_routing_rules r left join accounts a on a.account_id = r.account_id
     order by r.account_id nulls first, r.category nulls first, r.customer_code nulls first, r.rule_id`,
  );
  return rows.map((r) => ({ ...r, updated_at: iso(r.updated_at) }));
}

async function checkRule(tx: Db, input: ReturnType<typeof routingRuleInput.parse>): Promise<void> {
  if (input.account_id) {
    const { rowCount } = await tx.query('select 1 from accounts where account_id = $1', [input.account_id]);
    if (!rowCount)
      throw new AppError('validation_failed', `There is no account ${input.account_id}.`, {
        issues: [{ field: 'account_id', message: 'unknown account' }],
      });
  }
}

function duplicate(err: unknown): never {
  if ((err as { code?: string }).code === '23505')
    throw new AppError(
      'conflict',
      'A rule for this account, category and reason code exists already: change that one.',
    );
  throw err;
}

export async function createRoutingRule(db: Db, raw: RoutingRuleInput): Promise<RoutingRule> {
  requireInternal(db.actor);
  requireRole(db.actor, deductionAdmins);
  const input = routingRuleInput.parse(raw);
  return db.tx(async (tx) => {
    await checkRule(tx, input);
    const { rows } = await tx
      .query<{ rule_id: string }>(
        `insert into deduction_routing_rules (account_id, category, customer_code, queue, note)
         values ($1, $2, $3, $4, $5) returning rule_id::text`,
        [
          input.account_id ?? null,
          input.category ?? null,
          input.customer_code ?? null,
          input.queue,
          input.note ?? null,
        ],
      )
      .catch(duplicate);
    const rule = (await readRule(tx, rows[0]!.rule_id))!;
    await recordAudit(tx, {
      entityType: 'deduction_routing_rule',
      entityId: rule.rule_id,
      accountId: '',
      action: 'created',
      after: rule,
    });
    return rule;
  });
}

export async function updateRoutingRule(db: Db, ruleId: number, raw: RoutingRuleInput): Promise<RoutingRule> {
  requireInternal(db.actor);
  requireRole(db.actor, deductionAdmins);
  const input = routingRuleInput.parse(raw);
  return db.tx(async (tx) => {
    const before = await readRule(tx, ruleId);
    if (!before) throw notFound(`The routing rule ${ruleId}`);
    await checkRule(tx, input);
    await tx
      .query(
        `update deduction_routing_rules set account_id = $2, category = $3, customer_code = $4, queue = $5,
           note = $6, updated_at = now() where rule_id = $1`,
        [
          ruleId,
          input.account_id ?? null,
          input.category ?? null,
          input.customer_code ?? null,
          input.queue,
          input.note ?? null,
        ],
      )
      .catch(duplicate);
    const rule = (await readRule(tx, ruleId))!;
    await recordAudit(tx, {
      entityType: 'deduction_routing_rule',
      entityId: rule.rule_id,
      accountId: '',
      action: 'updated',
      before,
      after: rule,
    });
    return rule;
  });
}

export async function deleteRoutingRule(db: Db, ruleId: number): Promise<void> {
  requireInternal(db.actor);
  requireRole(db.actor, deductionAdmins);
  await db.tx(async (tx) => {
    const before = await readRule(tx, ruleId);
    if (!before) throw notFound(`The routing rule ${ruleId}`);
    await tx.query('delete from deduction_routing_rules where rule_id = $1', [ruleId]);
    await recordAudit(tx, {
      entityType: 'deduction_routing_rule',
      entityId: before.rule_id,
      accountId: '',
      action: 'deleted',
      before,
    });
  });
}

export interface ReassignResult {
  deduction_id: string;
  queue: DeductionQueue;
  queue_since: string;
  sla_due_date: string;
  queue_set_by: string;
}

/**
 * Moves an open deduction to another team (any of the current team, managers, administrators): the new
 * team's SLA clock starts today, in business days of the account's country; the assignee, a member of the
 * old team, is cleared. Routing by validation leaves a deduction a person moved where it is.
 */
export async function reassignDeduction(
  db: Db,
  deductionId: string,
  raw: ReassignInput,
): Promise<ReassignResult> {
  requireInternal(db.actor);
  const input = reassignInput.parse(raw);
  return db.tx(async (tx) => {
    const d = await deductionForAction(tx, deductionId);
    requireStatus(d, ['open'], 'moved to another team');
    if (d.queue === input.queue)
      throw new AppError('conflict', `${deductionId} is in the ${input.queue} queue already.`);
    const { rows: q } = await tx.query<{ sla_business_days: number }>(
      'select sla_business_days from deduction_queues where queue = $1',
      [input.queue],
    );
    const on = today();
    const due = addBusinessDays(d.country, on, q[0]!.sla_business_days);
    const by = tx.actor.name;
    const { rows } = await tx.query<{ assignee: string | null }>(
      `update deductions x set queue = $2, queue_set_by = $3, queue_set_at = now(), queue_since = $4::date,
         sla_due_date = $5::date, assignee = null, updated_at = now()
       from (select assignee from deductions where deduction_id = $1) old
       where x.deduction_id = $1 returning old.assignee`,
      [deductionId, input.queue, by, on, due],
    );
    await recordAudit(tx, {
      entityType: 'deduction',
      entityId: deductionId,
      accountId: d.account_id,
      action: 'reassigned',
      before: { queue: d.queue, assignee: rows[0]?.assignee ?? null },
      after: { queue: input.queue, queue_since: on, sla_due_date: due, comment: input.comment },
    });
    return {
      deduction_id: deductionId,
      queue: input.queue,
      queue_since: on,
      sla_due_date: due,
      queue_set_by: by,
    };
  });
}
