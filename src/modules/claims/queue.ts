/**
 * The claim queue: claims in the order an analyst works them — by SLA: breached first, then the fewest
 * business days left, urgent first within the same day, oldest submission first — with their SLA state,
 * business days left and urgency; stopped clocks (rejected, paid, closed) come last, newest first. Ordered,
 * filtered and paged in the database (`slaSql`), so it stays fast with many claims; the figures shown for a
 * page come from `slaFor`, the SLA functions themselves. Drafts have no SLA and appear only when asked for
 * (status `draft`), newest first.
 */
import { type BusinessDate, today as todayDate } from '../../core/dates.ts';
import { AppError } from '../../core/errors.ts';
import { type Db, PoolDb } from '../../db/db.ts';
import { containsPattern, type GridQueryInput, gridSql } from '../../db/grid-query.ts';
import { keptAnswer, scopeKey } from '../../db/kept-answers.ts';
import { type ClaimListItem, type ClaimStatus, claimSelect, claimTotalsSql, toItem } from './queries.ts';
import { type Sla, type SlaState, slaFor, slaInputsJoin, slaSql, slaStates } from './sla.ts';
import { prepareStoredSla } from './sla-calendar.ts';

export const queueSorts = ['sla', 'submitted'] as const;

/** The columns of the queue a grid may sort by (`order`) and filter (`filters`), and what each reads. */
export const queueGridColumns = {
  claim_id: { filter: 'c.claim_id', sort: 'q.claim_id' },
  submitted_date: { filter: 'c.submitted_date', sort: 'q.submitted_date' },
  partner: { filter: 'coalesce(a.name, c.account_id)', sort: 'q.partner_name' },
  program: { filter: 'c.program_id', sort: 'q.program_id' },
  status: { filter: 'c.status', sort: 'q.status' },
  currency: { filter: 'c.currency', sort: 'q.currency' },
  urgent: { filter: "case when c.urgent then 'yes' else 'no' end", sort: 'q.urgent' },
  business_days_left: { filter: null, sort: 'q.business_days_left' },
  sla_state: { filter: null, sort: 'q.sla_state' },
  // Worked out only when a sort reads them: the due date (`q.due_date`) and the claim's totals (`t`).
  due_date: { filter: null, sort: 'q.due_date' },
  lines: { filter: null, sort: 't.lines' },
  claimed_amount: { filter: null, sort: 't.claimed_amount' },
  approved_amount: { filter: null, sort: 't.approved_amount' },
} as const;

export interface ClaimQueueQuery extends GridQueryInput {
  status?: ClaimStatus | undefined;
  /** Only claims in these SLA states (any when empty). */
  sla_states?: readonly SlaState[] | undefined;
  account_id?: string | undefined;
  program_id?: string | undefined;
  /** Part of the claim id, the partner's name or account id, or the program id. */
  q?: string | undefined;
  urgent?: boolean | undefined;
  /** `sla` (the default): the order above; `submitted`: newest submitted first. */
  sort?: (typeof queueSorts)[number] | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/** A claim of the queue: its header and totals with its SLA today (null for a draft). */
export type ClaimQueueItem = ClaimListItem & { [K in keyof Sla]: Sla[K] | null };

export interface ClaimQueue {
  items: ClaimQueueItem[];
  /** Claims matching every filter. */
  total: number;
  /** Claims per SLA state matching every filter but the SLA state (for the filter's counts). */
  counts: Record<SlaState, number>;
  as_of: BusinessDate;
}

export async function claimQueue(
  db: Db,
  query: ClaimQueueQuery = {},
  asOf: BusinessDate = todayDate(),
): Promise<ClaimQueue> {
  if (db instanceof PoolDb) {
    // A server keeps the queue it read and gives it again while no claim (nor what their SLA is read from)
    // has changed (keptAnswer): the stored SLA states made current first, then read in one snapshot.
    return keptAnswer(db, 'claim_changes', [scopeKey(db.actor), 'queue', asOf, query], async () => {
      await prepareStoredSla(db, asOf);
      return db.snapshot(async (tx) => {
        const { rows } = await tx.query<{ s: string }>('select pg_current_snapshot()::text as s');
        return { value: await queueIn(tx, query, asOf), snapshot: rows[0]!.s };
      });
    });
  }
  // One transaction for the few statements below.
  return db.tx(async (tx) => {
    await prepareStoredSla(tx, asOf);
    return queueIn(tx, query, asOf);
  });
}

async function queueIn(db: Db, query: ClaimQueueQuery, asOf: BusinessDate): Promise<ClaimQueue> {
  const params: unknown[] = [asOf];
  const where: string[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replaceAll('$?', `$${params.length}`));
  };
  const drafts = query.status === 'draft';
  if (query.status) add('c.status = $?', query.status);
  if (query.account_id) add('c.account_id = $?', query.account_id);
  if (query.program_id) add('c.program_id = $?', query.program_id);
  if (query.urgent !== undefined) add('c.urgent = $?', query.urgent);
  if (query.q?.trim()) {
    add(
      '(c.claim_id ilike $? or c.account_id ilike $? or a.name ilike $? or c.program_id ilike $?)',
      containsPattern(query.q),
    );
  }
  // A grid's own sort and column filters (the columns above; filters read the claim, sorts the page's rows).
  const filterColumns = Object.fromEntries(
    Object.entries(queueGridColumns).flatMap(([k, v]) => (v.filter ? [[k, v.filter]] : [])),
  );
  const grid = gridSql({ filters: query.filters }, filterColumns, (value) => {
    params.push(value);
    return `$${params.length}`;
  });
  where.push(...grid.where);
  const sortColumns = Object.fromEntries(Object.entries(queueGridColumns).map(([k, v]) => [k, v.sort]));
  const { order, unknown } = gridSql({ order: query.order }, sortColumns, () => '');
  if (unknown.length > 0 || grid.unknown.length > 0) {
    throw new AppError(
      'validation_failed',
      `The claim queue cannot sort or filter by ${[...unknown, ...grid.unknown].join(', ')}.`,
    );
  }
  const states = query.sla_states?.length ? [...new Set(query.sla_states)] : null;
  params.push(states, query.limit ?? 100, query.offset ?? 0);
  const [statesAt, limitAt, offsetAt] = [params.length - 2, params.length - 1, params.length];
  // A stored state is met or missed (only stopped clocks store one), so such a claim is never a draft.
  const filters = [...where, 'true'].join(' and ');
  const notDraft = query.status ? 'true' : `c.status <> 'draft'`;
  const inStates = `($${statesAt}::text[] is null or q.sla_state = any($${statesAt}))`;
  // Two kinds of claims: those whose SLA is worked out here (`live`: open clocks, whose state moves with the
  // date, and claims whose stored state is stale) and those whose state is stored (`stored`: stopped clocks,
  // met or missed, and drafts, which have none), read through indexes without working anything out.
  const readsDue = order !== null && /\bq\.due_date\b/.test(order);
  const readsTotals = order !== null && /\bt\./.test(order);
  const live = `select c.account_id, c.claim_id, c.submitted_date, c.created_at, c.urgent, sla.sla_state,
         sla.business_days_left, c.status, c.program_id, c.currency, a.name as partner_name,
         ${readsDue ? 'sla.due_date' : 'null::date as due_date'}
       from claims c
       left join accounts a on a.account_id = c.account_id
       ${slaInputsJoin}
       ${slaSql('$1::date')}
       where (c.sla_stale or (c.sla_stopped_state is null and c.status <> 'draft')) and ${notDraft} and ${filters}`;
  const stored = `select c.account_id, c.claim_id, c.submitted_date, c.created_at, c.urgent,
         c.sla_stopped_state as sla_state, null::int as business_days_left, c.status, c.program_id, c.currency,
         a.name as partner_name, ${readsDue ? 'sla.due_date' : 'null::date as due_date'}
       from claims c
       left join accounts a on a.account_id = c.account_id
       ${readsDue ? `${slaInputsJoin} ${slaSql('$1::date')}` : ''}
       where not c.sla_stale and ${drafts ? `c.status = 'draft'` : 'c.sla_stopped_state is not null'} and ${filters}`;
  const columns = 'q.account_id, q.claim_id, q.submitted_date, q.created_at, q.urgent, q.business_days_left';
  // The page: with the SLA order, the open clocks (by business days left; breached ones are below zero,
  // urgent first on the same day), then stopped clocks and drafts, newest first; each part is taken up to the
  // end of the page in its own order (the stored part through the submitted-date index), then the two are
  // put in order and the page cut.
  const end = `($${limitAt}::bigint + $${offsetAt}::bigint)`;
  // The queue's own order; after a grid's sort it decides between equal values.
  const slaOrder = `(q.business_days_left is null), q.business_days_left, q.urgent desc,
    case when q.business_days_left is null then q.submitted_date end desc, q.submitted_date, q.claim_id, q.account_id`;
  const pageSql = order
    ? `select array[q.account_id, q.claim_id] from (
         select ${columns}, q.sla_state, q.status, q.program_id, q.currency, q.partner_name, q.due_date from live q
         union all
         select ${columns}, q.sla_state, q.status, q.program_id, q.currency, q.partner_name, q.due_date
         from (${stored}) q
       ) q
       ${readsTotals ? `cross join lateral (${claimTotalsSql('q')}) t` : ''}
       where ${inStates}
       order by ${order}, ${slaOrder}
       limit $${limitAt} offset $${offsetAt}`
    : query.sort === 'submitted'
      ? `select array[q.account_id, q.claim_id] from (
           (select ${columns} from live q where ${inStates}
            order by q.submitted_date desc, q.created_at desc, q.claim_id desc, q.account_id limit ${end})
           union all
           (select ${columns} from (${stored}) q where ${inStates}
            order by q.submitted_date desc, q.created_at desc, q.claim_id desc, q.account_id limit ${end})
         ) q
         order by q.submitted_date desc, q.created_at desc, q.claim_id desc, q.account_id
         limit $${limitAt} offset $${offsetAt}`
      : `select array[q.account_id, q.claim_id] from (
           (select ${columns} from live q where ${inStates} and q.business_days_left is not null
            order by q.business_days_left, q.urgent desc, q.submitted_date, q.claim_id, q.account_id limit ${end})
           union all
           (select ${columns} from live q where ${inStates} and q.business_days_left is null
            order by q.submitted_date desc, q.claim_id, q.account_id limit ${end})
           union all
           (select ${columns} from (${stored}) q where ${inStates}
            order by q.submitted_date desc, q.claim_id, q.account_id limit ${end})
         ) q
         order by ${slaOrder}
         limit $${limitAt} offset $${offsetAt}`;
  const { rows } = await db.query<{ counts: Record<string, number>; total: number; ids: [string, string][] }>(
    `with live as materialized (${live}),
     per_state as materialized (
       select q.sla_state, count(*)::int as n from live q group by q.sla_state
       union all
       select q.sla_state, count(*)::int from (${stored}) q group by q.sla_state
     )
     select
       (select coalesce(jsonb_object_agg(sla_state, n), '{}') from (
          select sla_state, sum(n)::int as n from per_state where sla_state is not null group by sla_state) y)
         as counts,
       (select coalesce(sum(n), 0)::int from per_state q where ${inStates}) as total,
       array(${pageSql}) as ids`,
    params,
  );
  const { counts, total, ids } = rows[0]!;
  const items: ClaimQueueItem[] = [];
  if (ids.length > 0) {
    // A claim id is unique within its partner: claims are named by account and claim id.
    const keys = ids.map(([account_id, claim_id]) => ({ account_id, claim_id }));
    const keyOf = (r: { account_id?: unknown; claim_id?: unknown }) => `${r.account_id}\u0000${r.claim_id}`;
    const [details, slas] = await Promise.all([
      db.query(
        `${claimSelect} where (c.account_id, c.claim_id) in (select * from unnest($1::text[], $2::text[]))`,
        [keys.map((k) => k.account_id), keys.map((k) => k.claim_id)],
      ),
      slaFor(db, { claims: keys, asOf }),
    ]);
    const byId = new Map(details.rows.map((r) => [keyOf(r), toItem(r)]));
    const slaById = new Map(slas.map((s) => [keyOf(s), s]));
    for (const id of keys.map(keyOf)) {
      const item = byId.get(id);
      if (!item) continue;
      const sla = slaById.get(id);
      items.push({
        ...item,
        sla_state: sla?.sla_state ?? null,
        target_business_days: sla?.target_business_days ?? null,
        due_date: sla?.due_date ?? null,
        age_business_days: sla?.age_business_days ?? null,
        business_days_left: sla?.business_days_left ?? null,
      });
    }
  }
  return {
    items,
    total,
    counts: Object.fromEntries(slaStates.map((s) => [s, counts[s] ?? 0])) as Record<SlaState, number>,
    as_of: asOf,
  };
}
