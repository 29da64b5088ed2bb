/**
 * Administering collection strategies: one per segment and country combination (either may be empty, for
 * "every"); the one with neither is the default and always exists. An account follows the most specific
 * strategy that matches it — segment and country, then segment, then country, then the default.
 *
 * Editing replaces a strategy's steps as a whole, in order. A step sent with its `step_id` keeps it, and with
 * it what was already done for that step in the cycles under way; a step without one is new. Past runs keep
 * their step id, kind and label, so neither an edit nor deleting a strategy rewrites what was done.
 */
import { AppError, notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { isPartner, requireRole } from '../identity/index.ts';
import { recordAudit } from '../platform/index.ts';
import { requireCollections } from './activities.ts';
import {
  type CreateStrategyInput,
  createStrategyInput,
  defaultSlaBusinessDays,
  isEmailKind,
  type StepInput,
  type StepKind,
  stepKindLabels,
  type TaskKind,
  type TriggerKind,
  type UpdateStrategyInput,
  updateStrategyInput,
} from './strategy-schemas.ts';

export const defaultStrategyId = 'default';
export const strategyEditors = ['administrator'] as const;

export interface StrategyStep {
  step_id: string;
  step_no: number;
  kind: StepKind;
  action: 'email' | 'task';
  trigger: TriggerKind;
  days: number | null;
  subject: string | null;
  body: string | null;
  sla_business_days: number | null;
  /** In words: "15 days past due", "7 days after the previous step", "end of month". */
  when: string;
}

export interface Strategy {
  strategy_id: string;
  name: string;
  description: string;
  segment: string | null;
  country: string | null;
  is_default: boolean;
  /** Accounts that follow it now (the most specific match). */
  accounts: number;
  steps: StrategyStep[];
  updated_at: string;
}

export function describeTrigger(trigger: TriggerKind, days: number | null): string {
  if (trigger === 'end_of_month') return 'end of month';
  if (trigger === 'days_after_previous') return `${days} day${days === 1 ? '' : 's'} after the previous step`;
  return `${days} day${days === 1 ? '' : 's'} past due`;
}

/**
 * The lateral subquery picking an account's strategy: `a` is the account. Used by the listing, the account
 * page and the daily run, so all three agree.
 */
export const matchingStrategySql = (a: string) => `(
  select s.strategy_id, s.name, s.segment, s.country from collection_strategies s
  where (s.segment is null or s.segment = ${a}.segment) and (s.country is null or s.country = ${a}.country)
  order by (s.segment is not null) desc, (s.country is not null) desc
  limit 1
)`;

interface StepRow {
  strategy_id: string;
  step_id: string;
  step_no: number;
  kind: StepKind;
  action: 'email' | 'task';
  trigger_kind: TriggerKind;
  trigger_days: number | null;
  subject: string | null;
  body: string | null;
  sla_business_days: number | null;
}

async function readStrategies(db: Db, id?: string): Promise<Strategy[]> {
  const { rows } = await db.query<
    Omit<Strategy, 'steps' | 'is_default' | 'updated_at'> & { updated_at: Date }
  >(
    `select s.strategy_id, s.name, s.description, s.segment, s.country, s.updated_at,
       (select count(*)::int from accounts a cross join lateral ${matchingStrategySql('a')} m
        where m.strategy_id = s.strategy_id) as accounts
     from collection_strategies s
     where ($1::text is null or s.strategy_id = $1)
     order by (s.segment is null and s.country is null) desc, s.segment nulls first, s.country nulls first,
       s.strategy_id`,
    [id ?? null],
  );
  const steps = await db.query<StepRow>(
    `select strategy_id, step_id::text, step_no, kind, action, trigger_kind, trigger_days, subject, body,
       sla_business_days
     from strategy_steps where strategy_id = any($1::text[]) order by strategy_id, step_no`,
    [rows.map((r) => r.strategy_id)],
  );
  return rows.map((r) => ({
    ...r,
    updated_at: r.updated_at.toISOString(),
    is_default: r.strategy_id === defaultStrategyId,
    steps: steps.rows
      .filter((s) => s.strategy_id === r.strategy_id)
      .map((s) => ({
        step_id: s.step_id,
        step_no: s.step_no,
        kind: s.kind,
        action: s.action,
        trigger: s.trigger_kind,
        days: s.trigger_days,
        subject: s.subject,
        body: s.body,
        sla_business_days: s.sla_business_days,
        when: describeTrigger(s.trigger_kind, s.trigger_days),
      })),
  }));
}

/** Every strategy with its steps and how many accounts follow it; the default first. */
export async function listStrategies(db: Db): Promise<{ items: Strategy[] }> {
  requireCollections(db, false);
  return { items: await readStrategies(db) };
}

export async function getStrategy(db: Db, strategyId: string): Promise<Strategy> {
  requireCollections(db, false);
  const [found] = await readStrategies(db, strategyId);
  if (!found) throw notFound(`The collection strategy ${strategyId}`);
  return found;
}

function requireEditor(db: Db): void {
  if (isPartner(db.actor.roles))
    throw new AppError('forbidden', 'Collection strategies are the company’s own configuration.');
  requireRole(db.actor, strategyEditors);
}

async function checkUnique(
  db: Db,
  strategyId: string,
  segment: string | null,
  country: string | null,
): Promise<void> {
  const { rows } = await db.query<{ strategy_id: string }>(
    `select strategy_id from collection_strategies
     where coalesce(segment, '') = coalesce($1, '') and coalesce(country, '') = coalesce($2, '')
       and strategy_id <> $3`,
    [segment, country, strategyId],
  );
  if (rows[0]) {
    const what = [
      segment ? `segment ${segment}` : 'every segment',
      country ? `country ${country}` : 'every country',
    ];
    throw new AppError(
      'conflict',
      `The strategy ${rows[0].strategy_id} is already the one for ${what.join(' and ')}; edit it instead.`,
      { issues: [{ field: 'segment', message: `already covered by ${rows[0].strategy_id}` }] },
    );
  }
}

/** Writes the steps in order, keeping the ids of steps that had one (and refusing ids of other strategies). */
async function writeSteps(db: Db, strategyId: string, steps: readonly StepInput[]): Promise<void> {
  const kept = steps.flatMap((s) => (s.step_id ? [s.step_id] : []));
  if (kept.length > 0) {
    const { rows } = await db.query<{ step_id: string }>(
      'select step_id::text from strategy_steps where strategy_id = $1 and step_id = any($2::uuid[])',
      [strategyId, kept],
    );
    const known = new Set(rows.map((r) => r.step_id));
    const index = steps.findIndex((s) => s.step_id && !known.has(s.step_id));
    if (index >= 0)
      throw new AppError('validation_failed', `Step ${index + 1} names a step this strategy does not have.`, {
        issues: [{ field: `steps.${index}.step_id`, message: 'not a step of this strategy' }],
      });
  }
  await db.query('delete from strategy_steps where strategy_id = $1', [strategyId]);
  await db.query(
    `insert into strategy_steps (strategy_id, step_id, step_no, kind, trigger_kind, trigger_days, action, subject,
       body, task, sla_business_days)
     select $1, coalesce(s.step_id, gen_random_uuid()), s.step_no, s.kind, s.trigger_kind, s.trigger_days,
       s.action, s.subject, s.body, s.task, s.sla_business_days
     from jsonb_to_recordset($2::jsonb) as s(step_id uuid, step_no int, kind text, trigger_kind text,
       trigger_days int, action text, subject text, body text, task text, sla_business_days int)`,
    [
      strategyId,
      JSON.stringify(
        steps.map((s, i) => {
          const email = isEmailKind(s.kind);
          return {
            step_id: s.step_id ?? null,
            step_no: i + 1,
            kind: s.kind,
            trigger_kind: s.trigger,
            trigger_days: s.trigger === 'end_of_month' ? null : s.days,
            action: email ? 'email' : 'task',
            subject: email ? s.subject : null,
            body: email ? s.body : null,
            task: email ? null : stepKindLabels[s.kind],
            sla_business_days: email
              ? null
              : (s.sla_business_days ?? defaultSlaBusinessDays[s.kind as TaskKind]),
          };
        }),
      ),
    ],
  );
}

export async function createStrategy(db: Db, raw: CreateStrategyInput): Promise<Strategy> {
  requireEditor(db);
  const input = createStrategyInput.parse(raw);
  const segment = input.segment ?? null;
  const country = input.country ?? null;
  if (!segment && !country)
    throw new AppError(
      'validation_failed',
      'A new strategy is for a segment, a country or both; the default strategy covers every other account.',
      { issues: [{ field: 'segment', message: 'give a segment, a country or both' }] },
    );
  return db.tx(async (tx) => {
    await checkUnique(tx, input.strategy_id, segment, country);
    const { rowCount } = await tx.query(
      `insert into collection_strategies (strategy_id, name, description, segment, country)
       values ($1, $2, $3, $4, $5) on conflict (strategy_id) do nothing`,
      [input.strategy_id, input.name, input.description ?? '', segment, country],
    );
    if (!rowCount)
      throw new AppError('conflict', `The collection strategy ${input.strategy_id} already exists.`, {
        issues: [{ field: 'strategy_id', message: 'already exists' }],
      });
    await writeSteps(tx, input.strategy_id, input.steps);
    const [created] = await readStrategies(tx, input.strategy_id);
    await recordAudit(tx, {
      entityType: 'collection_strategy',
      entityId: input.strategy_id,
      accountId: '',
      action: 'created',
      after: created,
    });
    return created!;
  });
}

export async function updateStrategy(
  db: Db,
  strategyId: string,
  raw: UpdateStrategyInput,
): Promise<Strategy> {
  requireEditor(db);
  const input = updateStrategyInput.parse(raw);
  const segment = input.segment ?? null;
  const country = input.country ?? null;
  return db.tx(async (tx) => {
    const [before] = await readStrategies(tx, strategyId);
    if (!before) throw notFound(`The collection strategy ${strategyId}`);
    if (before.is_default && (segment || country))
      throw new AppError(
        'validation_failed',
        'The default strategy is for every account no other strategy covers; it has no segment or country.',
        { issues: [{ field: segment ? 'segment' : 'country', message: 'must stay empty for the default' }] },
      );
    if (!before.is_default && !segment && !country)
      throw new AppError('validation_failed', 'Only the default strategy is for every segment and country.', {
        issues: [{ field: 'segment', message: 'give a segment, a country or both' }],
      });
    await checkUnique(tx, strategyId, segment, country);
    await tx.query(
      `update collection_strategies set name = $2, description = $3, segment = $4, country = $5,
         updated_at = now()
       where strategy_id = $1`,
      [strategyId, input.name, input.description ?? before.description, segment, country],
    );
    await writeSteps(tx, strategyId, input.steps);
    const [after] = await readStrategies(tx, strategyId);
    await recordAudit(tx, {
      entityType: 'collection_strategy',
      entityId: strategyId,
      accountId: '',
      action: 'updated',
      before,
      after,
    });
    return after!;
  });
}

/** Deletes a strategy (never the default); its accounts follow the next most specific one from now on. */
export async function deleteStrategy(db: Db, strategyId: string): Promise<void> {
  requireEditor(db);
  if (strategyId === defaultStrategyId)
    throw new AppError('conflict', 'The default strategy cannot be deleted: it covers every other account.');
  await db.tx(async (tx) => {
    const [before] = await readStrategies(tx, strategyId);
    if (!before) throw notFound(`The collection strategy ${strategyId}`);
    await tx.query('delete from collection_strategies where strategy_id = $1', [strategyId]);
    await recordAudit(tx, {
      entityType: 'collection_strategy',
      entityId: strategyId,
      accountId: '',
      action: 'deleted',
      before,
    });
  });
}
