/**
 * The matching cascade (MATCHING.md, "The cascade"), set-based: every credit not yet through the cascade
 * (status new), in order of value date then payment_ref, goes through payer, remittance advice, references,
 * one document by amount, a set of two or three documents by amount, else the exception queue.
 *
 * Earlier credits consume documents for later ones. The run works in waves: each wave decides every
 * pending credit at once against the documents' open amounts, then keeps only the decisions that no
 * earlier pending credit could have changed — a credit is final when no earlier credit of the wave applies
 * money to an account it looks at (its payer, or the accounts its references name). The earliest pending
 * credit is always final, so every wave makes progress; final decisions are posted and consume their
 * documents before the next wave. The outcome is the one of processing the credits one by one.
 *
 * A run takes an advisory lock (runs never overlap) and only credits with status new, so a second run
 * changes nothing.
 */
import type { Db } from '../../db/db.ts';
import { recordAudit } from '../platform/index.ts';
import { requireCashDesk } from './roles.ts';

/** Confidence of each step (MATCHING.md: 1 for remittance and exact reference; lower for the rest). */
export const confidence = {
  remittance: '1.00',
  referenceExact: '1.00',
  reference: '0.90',
  referenceNumber: '0.85',
  referencePattern: '0.85',
  amount: '0.80',
  combination: '0.70',
} as const;

/** A payer with more open documents than this in the currency is not searched for sets of 2–3. */
export const combinationLimit = 150;

export interface CashRun {
  run_id: string;
  started_at: string;
  finished_at: string | null;
  actor_name: string | null;
  credits: number;
  amount: string;
  auto_applied: number;
  auto_applied_amount: string;
  /** auto_applied as a percentage of credits, two decimals. */
  auto_applied_pct: string;
  on_account_count: number;
  on_account_amount: string;
  deductions: number;
  deductions_amount: string;
  exceptions: Record<string, number>;
  waves: number;
  wrong_matches: number;
}

export const runColumns = `r.run_id::text, r.started_at, r.finished_at, r.actor_name, r.credits, r.amount::text,
  r.auto_applied, r.auto_applied_amount::text,
  (case when r.credits = 0 then 0 else round(100.0 * r.auto_applied / r.credits, 2) end)::numeric(5, 2)::text
    as auto_applied_pct,
  r.on_account_count, r.on_account_amount::text, r.deductions, r.deductions_amount::text, r.exceptions, r.waves,
  r.wrong_matches`;

/** Runs the cascade on every credit not yet through it. */
export async function runCascade(db: Db): Promise<CashRun> {
  requireCashDesk(db);
  return db.tx(async (outer) => {
    const tx = process.env.CLEARHOUSE_TRACE_CASH ? traced(outer) : outer;
    await tx.query(`select pg_advisory_xact_lock(hashtext('clearhouse.cash.apply'))`);
    // The desk sees every account; the run acts as the tables' owner so that row security (whose policy
    // functions are not leakproof) does not keep the planner from the expression indexes it joins through.
    await tx.query(`set local role none; set local jit = off; set local work_mem = '256MB'`);
    const run = await tx.query<{ run_id: string }>(
      `insert into cash_runs (actor_name) values ($1) returning run_id::text`,
      [db.actor.name],
    );
    const runId = run.rows[0]!.run_id;
    await prepare(tx);
    let waves = 0;
    for (;;) {
      const pending = await tx.query<{ n: string }>(`select count(*)::text as n from cx where not done`);
      if (Number(pending.rows[0]!.n) === 0) break;
      waves += 1;
      await decideWave(tx);
      await postFinal(tx, runId);
    }
    // The credits' outcome, suggestions and timeline entries, once for the run (cx has every decision).
    await suggest(tx);
    await tx.query(
      `update bank_credits c set status = x.status, reason = x.reason, rule = x.rule, account_id = x.payer,
         payer_source = x.payer_source, run_id = $1, decided_by = 'cascade', decided_at = now(),
         suggestions = coalesce(s.suggestions, c.suggestions)
       from cx x left join cx_suggestions s on s.payment_ref = x.payment_ref
       where x.payment_ref = c.payment_ref`,
      [runId],
    );
    await tx.query(
      `insert into activities (account_id, document_id, kind, body, actor)
       select x.payer, x.payment_ref, 'status',
         'Paid by ' || x.payment_ref || ' on ' || x.value_date || ': ' || x.amount || ' ' || x.currency
           || ' applied by cash application (' || x.rule || ')', 'cash application'
       from cx x where x.status = 'applied' order by x.ord`,
    );
    await tx.query(
      `update cash_runs r set finished_at = clock_timestamp(), waves = $2,
         credits = m.credits, amount = m.amount, auto_applied = m.auto_applied,
         auto_applied_amount = m.auto_applied_amount, on_account_count = m.on_account_count,
         on_account_amount = m.on_account_amount, deductions = m.deductions,
         deductions_amount = m.deductions_amount, exceptions = m.exceptions
       from (
         select count(*) as credits, coalesce(sum(x.amount), 0) as amount,
           count(*) filter (where x.status = 'applied') as auto_applied,
           coalesce(sum(x.amount) filter (where x.status = 'applied'), 0) as auto_applied_amount,
           (select count(*) from cash_applications a where a.run_id = $1 and a.kind = 'on_account')
             as on_account_count,
           (select coalesce(sum(a.amount), 0) from cash_applications a where a.run_id = $1
             and a.kind = 'on_account') as on_account_amount,
           (select count(*) from cash_applications a where a.run_id = $1 and a.kind = 'deduction') as deductions,
           (select coalesce(sum(a.amount), 0) from cash_applications a where a.run_id = $1
             and a.kind = 'deduction') as deductions_amount,
           coalesce((select jsonb_object_agg(reason, n) from (
             select y.reason, count(*) as n from cx y where y.status = 'exception' group by y.reason) e),
             '{}') as exceptions
         from cx x
       ) m
       where r.run_id = $1`,
      [runId, waves],
    );
    const out = await tx.query<CashRun>(`select ${runColumns} from cash_runs r where r.run_id = $1`, [runId]);
    const result = out.rows[0]!;
    await recordAudit(tx, {
      entityType: 'cash_run',
      entityId: runId,
      accountId: '',
      action: 'ran',
      after: { ...result },
    });
    return result;
  });
}

/**
 * CLEARHOUSE_TRACE_CASH=1: each statement of the run with its time (ms) and rows on stderr; =explain adds
 * each data statement's EXPLAIN ANALYZE (run as the statement itself, so the run's outcome is unchanged).
 */
function traced(tx: Db): Db {
  const explain = process.env.CLEARHOUSE_TRACE_CASH === 'explain';
  return {
    actor: tx.actor,
    client: tx.client,
    tx: (fn) => tx.tx(fn),
    async query(text, values) {
      const started = performance.now();
      const head = text.replace(/\s+/g, ' ').trim().slice(0, 110);
      if (
        explain &&
        /^\s*(with|insert|update|delete|create temp table [a-z_]+ on commit drop as)/i.test(text) &&
        !/;\s*\S|returning run_id/.test(text)
      ) {
        const plan = await tx.query<{ 'QUERY PLAN': string }>(
          `explain (analyze, buffers, timing off) ${text}`,
          values,
        );
        process.stderr.write(
          `${(performance.now() - started).toFixed(0).padStart(6)} ms  ${head}\n${plan.rows.map((r) => `        ${r['QUERY PLAN']}`).join('\n')}\n`,
        );
        return { rows: [], rowCount: 0, command: '', oid: 0, fields: [] } as never;
      }
      const r = await tx.query(text, values);
      process.stderr.write(
        `${(performance.now() - started).toFixed(0).padStart(6)} ms  ${String(r.rowCount ?? '').padStart(6)}  ${head}\n`,
      );
      return r as never;
    },
  };
}

/** The run's working tables: its credits, their references and remittance lines, and the open documents. */
async function prepare(tx: Db): Promise<void> {
  await tx.query(
    `create temp table cx on commit drop as
     select c.payment_ref, row_number() over (order by c.value_date, c.payment_ref) as ord, c.amount, c.currency,
       c.value_date, c.payer_name, c.payer_bank_account, null::text as bank_payer,
       null::text as name_payer, null::text as payer, null::text as payer_source,
       null::text as status, null::text as reason, null::text as rule, false as done,
       exists (select 1 from cash_remittances l where l.payment_ref = c.payment_ref) as has_lines,
       cash_credit_words(c.text, c.customer_reference) as words
     from bank_credits c
     where c.status = 'new' and not exists (select 1 from ar_payments p where p.payment_id = c.payment_ref)`,
  );
  // The payer's bank account: the one account that knows it (hash join of the normalised numbers).
  await tx.query(
    `update cx set bank_payer = k.account_id
     from (
       select x.payment_ref, min(p.account_id) as account_id
       from (select payment_ref, cash_norm_account(payer_bank_account) as k from cx) x
       join (select account_id, cash_norm_account(payer_bank_account) as k from cash_payers) p on p.k = x.k
       group by x.payment_ref having count(distinct p.account_id) = 1
     ) k
     where k.payment_ref = cx.payment_ref`,
  );
  await tx.query(`alter table cx add primary key (payment_ref)`);
  // Names: accounts' and known payers' names, normalised; a name that several accounts share names none.
  await tx.query(
    `update cx set name_payer = n.account_id
     from (
       select x.payment_ref, min(m.account_id) as account_id
       from cx x
       join (
         select cash_norm_name(a.name) as norm, a.account_id from accounts a
         union select cash_norm_name(p.payer_name), p.account_id from cash_payers p where p.payer_name is not null
       ) m on m.norm = cash_norm_name(x.payer_name)
       where x.bank_payer is null
       group by x.payment_ref having count(distinct m.account_id) = 1
     ) n
     where n.payment_ref = cx.payment_ref`,
  );
  // Tokens of the payer's text, alone and with the next one or two (INV 10043, IN V 10043), with their keys:
  // read when the credit was stored (bank_credit_refs, migration 20261207130000), read here only for a credit
  // whose words changed since or that has none.
  await tx.query(
    `create temp table cx_tokens on commit drop as
     select x.payment_ref, u.raw, u.key
     from cx x join bank_credit_refs r on r.payment_ref = x.payment_ref and r.words = x.words
     cross join lateral unnest(r.raws, r.keys) u(raw, key)`,
  );
  await tx.query(
    `insert into cx_tokens (payment_ref, raw, key)
     select x.payment_ref, u.raw, u.key
     from cx x cross join lateral cash_text_refs(x.words) r
     cross join lateral unnest(r.raws, r.keys) u(raw, key)
     where not exists (select 1 from bank_credit_refs c where c.payment_ref = x.payment_ref and c.words = x.words)`,
  );

  // Every document a token names (of any account; the payer filter comes per wave), with its confidence.
  await tx.query(
    `create temp table cx_refs on commit drop as
     select r.payment_ref, r.document_id, r.account_id, max(r.conf) as conf
     from (
       select t.payment_ref, d.document_id, d.account_id,
         case when upper(d.document_id) = t.raw then ${confidence.referenceExact}
           else ${confidence.reference} end as conf
       from cx_tokens t join cx x on x.payment_ref = t.payment_ref
       cross join lateral (select d.document_id, d.account_id from ar_documents d
         where cash_ref_key(d.document_id) = t.key and d.currency = x.currency and d.type <> 'credit_memo'
         offset 0) d
       union all
       -- (probed only when some document has a letter prefix left, which the index answers at once)
       select t.payment_ref, d.document_id, d.account_id, ${confidence.referenceNumber}
       from cx_tokens t join cx x on x.payment_ref = t.payment_ref
       cross join lateral (select d.document_id, d.account_id from ar_documents d
         where cash_ref_number(d.document_id) = t.key and d.currency = x.currency and d.type <> 'credit_memo'
         offset 0) d
       where (select cash_ref_number(n.document_id) from ar_documents n
         order by cash_ref_number(n.document_id) limit 1) is not null
       union all
       select t.payment_ref, d.document_id, d.account_id, ${confidence.referencePattern}
       from cx x
       join cash_reference_patterns p on p.account_id = coalesce(x.bank_payer, x.name_payer)
       join cx_tokens t on t.payment_ref = x.payment_ref
       cross join lateral (select (regexp_match(t.key, '^' || p.prefix || '([0-9]+)' || p.suffix || '$'))[1] as num) m
       join ar_documents d on d.account_id = p.account_id and d.currency = x.currency
         and (cash_ref_number(d.document_id) = m.num or cash_ref_key(d.document_id) = m.num)
       where m.num is not null and d.type <> 'credit_memo'
     ) r
     group by r.payment_ref, r.document_id, r.account_id`,
  );
  await tx.query(`create index on cx_refs (payment_ref)`);
  // Remittance lines, each resolved to a document (exactly, else by its normalised number when one fits).
  await tx.query(
    `create temp table cx_lines on commit drop as
     select l.payment_ref, l.document_id as line_ref, l.amount_paid, coalesce(l.deduction_amount, 0) as ded,
       l.reason_code,
       coalesce(
         (select d.document_id from ar_documents d where d.document_id = l.document_id),
         (select min(d.document_id) from ar_documents d
           where cash_ref_key(d.document_id) = cash_ref_key(l.document_id) and d.type <> 'credit_memo'
             and (l.account_id is null or d.account_id = l.account_id)
           having count(*) = 1)) as document_id,
       l.account_id as line_account
     from cash_remittances l join cx x on x.payment_ref = l.payment_ref`,
  );
  await tx.query(`create index on cx_lines (payment_ref)`);
  await tx.query(
    `alter table cx_lines add column doc_account text;
     update cx_lines l set doc_account = d.account_id from ar_documents d where d.document_id = l.document_id`,
  );
  // The open documents (everything but credit memos), with what is open now.
  await tx.query(
    `create temp table od on commit drop as
     select d.account_id, d.document_id, d.currency, d.due_date, d.document_date,
       d.amount - coalesce(s.applied, 0) as open_amount
     from ar_documents d
     left join (select e.document_id, sum(e.amount) as applied from ar_application_entries e
       group by e.document_id) s on s.document_id = d.document_id
     where d.type <> 'credit_memo' and d.amount - coalesce(s.applied, 0) > 0`,
  );
  await tx.query(`alter table od add primary key (document_id)`);
  await tx.query(`create index on od (account_id, currency, open_amount)`);
  await tx.query(`analyze cx; analyze od; analyze cx_refs; analyze cx_lines`);
}

/** Decides every pending credit against the documents open now; marks the decisions that are final. */
async function decideWave(tx: Db): Promise<void> {
  await tx.query(`drop table if exists wd; drop table if exists wa; drop table if exists wref`);
  // Step 1: the payer (bank account; else the one account the references name; else the name).
  await tx.query(
    `create temp table wref on commit drop as
     select a.payment_ref, min(a.account_id) as account_id
     from (
       select l.payment_ref, l.doc_account as account_id from cx_lines l where l.doc_account is not null
       union all
       select f.payment_ref, f.account_id from cx_refs f join od o on o.document_id = f.document_id
     ) a
     join cx x on x.payment_ref = a.payment_ref and x.bank_payer is null and not x.done
     group by a.payment_ref having count(distinct a.account_id) = 1`,
  );
  await tx.query(
    `create temp table wd on commit drop as
     select x.payment_ref, x.ord, x.amount, x.currency, x.value_date,
       coalesce(x.bank_payer, r.account_id, x.name_payer) as payer,
       case when x.bank_payer is not null then 'bank_account' when r.account_id is not null then 'reference'
         when x.name_payer is not null then 'name' end as payer_source,
       x.has_lines, null::text as status, null::text as reason, null::text as rule, null::numeric as conf
     from cx x left join wref r on r.payment_ref = x.payment_ref
     where not x.done`,
  );
  await tx.query(`alter table wd add primary key (payment_ref)`);
  await tx.query(
    `create temp table wa (payment_ref text, seq int, document_id text, amount numeric, kind text,
       reason_code text, rule text, conf numeric) on commit drop`,
  );
  await tx.query(`update wd set status = 'exception', reason = 'UNKNOWN_PAYER' where payer is null`);

  // Step 2: remittance advice.
  await tx.query(
    `with lines as (
       select w.payment_ref, l.line_ref, l.document_id, l.ded, l.reason_code,
         coalesce(l.amount_paid, o.open_amount - l.ded) as paid, o.open_amount,
         (o.document_id is not null and (l.line_account is null or l.line_account = w.payer)
           and coalesce(l.amount_paid, o.open_amount - l.ded) >= 0
           and coalesce(l.amount_paid, o.open_amount - l.ded) + l.ded <= o.open_amount
           and (l.ded = 0 or l.reason_code is not null)) as ok
       from wd w join cx_lines l on l.payment_ref = w.payment_ref
       left join od o on o.document_id = l.document_id and o.account_id = w.payer and o.currency = w.currency
       where w.status is null and w.has_lines
     ),
     verdict as (
       select ln.payment_ref, bool_and(ln.ok) and sum(ln.paid) <= min(w.amount) as ok, sum(ln.paid) as paid
       from lines ln join wd w on w.payment_ref = ln.payment_ref group by ln.payment_ref
     ),
     marked as (
       update wd set status = case when v.ok then 'applied' else 'exception' end,
         reason = case when v.ok then null else 'REMITTANCE_MISMATCH' end,
         rule = case when v.ok then 'remittance' end, conf = ${confidence.remittance}
       from verdict v where v.payment_ref = wd.payment_ref
       returning wd.payment_ref, v.ok, wd.amount - v.paid as rest
     )
     insert into wa (payment_ref, seq, document_id, amount, kind, reason_code, rule, conf)
     select ln.payment_ref,
       row_number() over (partition by ln.payment_ref order by ln.document_id, k.kind desc),
       ln.document_id, k.amount, k.kind, k.reason_code, 'remittance', ${confidence.remittance}
     from lines ln join marked m on m.payment_ref = ln.payment_ref and m.ok
     cross join lateral (values ('invoice', ln.paid, null::text), ('deduction', ln.ded, ln.reason_code))
       k(kind, amount, reason_code)
     where k.amount > 0
     union all
     select m.payment_ref, 10000, null, m.rest, 'on_account', null, 'remittance', ${confidence.remittance}
     from marked m where m.ok and m.rest > 0`,
  );

  // Step 3: references (the payer's open documents its text names).
  await tx.query(
    `with refs as (
       select w.payment_ref, w.amount, o.document_id, o.open_amount, f.conf,
         sum(o.open_amount) over (partition by w.payment_ref order by o.due_date, o.document_id) as running,
         sum(o.open_amount) over (partition by w.payment_ref) as total,
         min(f.conf) over (partition by w.payment_ref) as min_conf
       from wd w join cx_refs f on f.payment_ref = w.payment_ref and f.account_id = w.payer
       join od o on o.document_id = f.document_id and o.currency = w.currency
       where w.status is null
     ),
     marked as (
       update wd set status = 'applied', rule = 'reference', conf = r.min_conf
       from (select distinct payment_ref, min_conf from refs) r where r.payment_ref = wd.payment_ref
       returning wd.payment_ref
     )
     insert into wa (payment_ref, seq, document_id, amount, kind, reason_code, rule, conf)
     select r.payment_ref, row_number() over (partition by r.payment_ref order by r.running), r.document_id,
       least(r.open_amount, r.amount - (r.running - r.open_amount)), 'invoice', null, 'reference', r.min_conf
     from refs r where r.amount - (r.running - r.open_amount) > 0
     union all
     select distinct on (r.payment_ref) r.payment_ref, 10000, null, r.amount - r.total, 'on_account', null,
       'reference', r.min_conf
     from refs r where r.amount > r.total`,
  );

  // Step 4: one document by amount (several: ambiguous).
  await tx.query(
    `with singles as (
       select w.payment_ref, count(*) as n, min(o.document_id) as document_id, min(w.amount) as amount
       from wd w join od o on o.account_id = w.payer and o.currency = w.currency and o.open_amount = w.amount
       where w.status is null group by w.payment_ref
     ),
     marked as (
       update wd set status = case when s.n = 1 then 'applied' else 'exception' end,
         reason = case when s.n = 1 then null else 'AMBIGUOUS' end,
         rule = case when s.n = 1 then 'amount' end, conf = ${confidence.amount}
       from singles s where s.payment_ref = wd.payment_ref
       returning wd.payment_ref
     )
     insert into wa (payment_ref, seq, document_id, amount, kind, reason_code, rule, conf)
     select s.payment_ref, 1, s.document_id, s.amount, 'invoice', null, 'amount', ${confidence.amount}
     from singles s where s.n = 1`,
  );

  // Step 5: a unique set of two or three documents by amount (among payers with a searchable number). Every
  // pair of a candidate payer's open documents is summed once (pairs); a credit meets the pairs adding up to
  // it, and for each third document the pairs adding up to the rest (all amounts are positive, so a set's
  // documents are each less than the credit).
  await tx.query(
    `create temp table wcand on commit drop as
     with pending as (select w.payment_ref, w.payer, w.currency, w.amount from wd w where w.status is null),
     sizes as (
       select o.account_id, o.currency, count(*) as n from od o
       where o.account_id in (select p.payer from pending p) group by o.account_id, o.currency
     )
     select p.* from pending p join sizes z on z.account_id = p.payer and z.currency = p.currency
     where z.n <= ${combinationLimit}`,
  );
  await tx.query(
    `create temp table wpairs on commit drop as
     select a.account_id, a.currency, a.document_id as a_id, b.document_id as b_id,
       a.open_amount + b.open_amount as total
     from (select distinct c.payer, c.currency from wcand c) c
     join od a on a.account_id = c.payer and a.currency = c.currency
     join od b on b.account_id = a.account_id and b.currency = a.currency and b.document_id > a.document_id`,
  );
  // (analysed: without row counts the planner loops over the pairs instead of hashing them)
  await tx.query(`analyze wcand; analyze wpairs`);
  await tx.query(
    `create temp table wsets on commit drop as
     select c.payment_ref, array[p.a_id, p.b_id] as docs
     from wcand c join wpairs p on p.account_id = c.payer and p.currency = c.currency and p.total = c.amount
     union all
     select c.payment_ref, array[p.a_id, p.b_id, e.document_id]
     from wcand c
     join od e on e.account_id = c.payer and e.currency = c.currency and e.open_amount < c.amount
     join wpairs p on p.account_id = c.payer and p.currency = c.currency and p.total = c.amount - e.open_amount
       and p.b_id < e.document_id`,
  );
  await tx.query(
    `with counted as (
       select s.payment_ref, count(*) as n, min(s.docs) as docs from wsets s group by s.payment_ref
     ),
     marked as (
       update wd set status = case when c.n = 1 then 'applied' else 'exception' end,
         reason = case when c.n = 1 then null else 'AMBIGUOUS' end,
         rule = case when c.n = 1 then 'combination' end, conf = ${confidence.combination}
       from counted c where c.payment_ref = wd.payment_ref
       returning wd.payment_ref
     )
     insert into wa (payment_ref, seq, document_id, amount, kind, reason_code, rule, conf)
     select c.payment_ref, d.n, d.doc, o.open_amount, 'invoice', null, 'combination', ${confidence.combination}
     from counted c cross join lateral unnest(c.docs) with ordinality d(doc, n)
     join od o on o.document_id = d.doc
     where c.n = 1`,
  );
  await tx.query(`drop table wsets; drop table wpairs; drop table wcand`);
  // Step 6: the rest waits for a person.
  await tx.query(`update wd set status = 'exception', reason = 'NO_MATCH' where status is null`);

  // Final: no earlier pending credit of this wave applies money to an account this credit looks at.
  await tx.query(
    `create temp table wmin on commit drop as
     select w.payer as account_id, min(w.ord) as ord from wd w where w.status = 'applied' group by w.payer`,
  );
  await tx.query(`alter table wmin add primary key (account_id)`);
  await tx.query(
    `alter table wd add column final boolean not null default true;
     update wd set final = false
     where exists (select 1 from wmin m where m.account_id = wd.payer and m.ord < wd.ord)
       or exists (select 1 from cx_refs f join wmin m on m.account_id = f.account_id
         where f.payment_ref = wd.payment_ref and m.ord < wd.ord)
       or exists (select 1 from cx_lines l join wmin m on m.account_id = l.doc_account
         where l.payment_ref = wd.payment_ref and m.ord < wd.ord)`,
  );
  await tx.query(`drop table wmin`);
}

/** Posts the final decisions of the wave: payments, applications, deduction items, the credits' status. */
async function postFinal(tx: Db, runId: string): Promise<void> {
  await tx.query(
    `insert into ar_payments (account_id, payment_id, received_date, amount, currency, method, reference)
     select w.payer, w.payment_ref, w.value_date, w.amount, w.currency, 'bank', left(x.payer_name, 200)
     from wd w join cx x on x.payment_ref = w.payment_ref
     where w.final and w.payer is not null
     on conflict do nothing`,
  );
  await postApplications(
    tx,
    runId,
    `select a.* , w.payer as account_id, w.value_date, w.currency
     from wa a join wd w on w.payment_ref = a.payment_ref where w.final`,
  );
  await tx.query(
    `update cx set done = true, status = w.status, reason = w.reason, rule = w.rule, payer = w.payer,
       payer_source = w.payer_source
     from wd w where w.final and w.payment_ref = cx.payment_ref`,
  );
}

/**
 * Posts applications given as SQL rows (payment_ref, seq, document_id, amount, kind, reason_code, rule,
 * conf, account_id, value_date, currency): cash to documents, deduction items (a deduction document with
 * the kept amount transferred from the invoice), the cash_applications record, and the open amounts of
 * the run's open documents (table od, when it exists).
 */
export async function postApplications(
  tx: Db,
  runId: string | null,
  rowsSql: string,
  params: unknown[] = [],
  /** Lines already written for these credits (a credit decided again continues its numbering). */
  seqBase = 0,
): Promise<void> {
  await tx.query(`drop table if exists post_rows`);
  await tx.query(
    `create temp table post_rows on commit drop as
     select r.*, greatest(r.value_date, d.document_date) as applied_date,
       case when r.kind = 'deduction' then
         'D-' || r.payment_ref || '-' || r.document_id
           || coalesce('-' || nullif((select count(*) from deductions x
             where x.payment_ref = r.payment_ref and x.document_id = r.document_id), 0) + 1, '')
       end as deduction_id
     from (${rowsSql}) r left join ar_documents d on d.document_id = r.document_id`,
    params,
  );
  await tx.query(
    `insert into ar_applications (account_id, payment_id, document_id, applied_date, amount)
     select r.account_id, r.payment_ref, r.document_id, r.applied_date, r.amount
     from post_rows r where r.kind = 'invoice' order by r.account_id, r.payment_ref, r.document_id`,
  );
  await tx.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount, reference)
     select r.account_id, r.deduction_id, 'deduction', r.applied_date, r.applied_date, r.currency, r.amount,
       r.reason_code
     from post_rows r where r.kind = 'deduction'`,
  );
  await tx.query(
    `insert into ar_applications (account_id, payment_id, document_id, applied_date, amount)
     select r.account_id, r.deduction_id, r.document_id, r.applied_date, r.amount
     from post_rows r where r.kind = 'deduction'`,
  );
  await tx.query(
    `insert into deductions (account_id, deduction_id, payment_ref, document_id, amount, currency, reason_code,
       deduction_date, reference)
     select r.account_id, r.deduction_id, r.payment_ref, r.document_id, r.amount, r.currency, r.reason_code,
       r.applied_date, null
     from post_rows r where r.kind = 'deduction'`,
  );
  await tx.query(
    `insert into cash_applications (account_id, payment_ref, seq, document_id, amount, currency, kind,
       reason_code, deduction_id, rule, confidence, run_id, applied_date)
     select r.account_id, r.payment_ref,
       $2::int + row_number() over (partition by r.payment_ref order by r.seq,
           case r.kind when 'invoice' then 0 when 'deduction' then 1 else 2 end),
       r.document_id, r.amount, r.currency, r.kind, r.reason_code, r.deduction_id, r.rule, r.conf, $1::bigint,
       coalesce(r.applied_date, r.value_date)
     from post_rows r`,
    [runId, seqBase],
  );
  const od = await tx.query(`select to_regclass('pg_temp.od') is not null as present`);
  if ((od.rows[0] as { present: boolean }).present) {
    await tx.query(
      `update od set open_amount = od.open_amount - u.amount
       from (select r.document_id, sum(r.amount) as amount from post_rows r
         where r.kind in ('invoice', 'deduction') group by r.document_id) u
       where u.document_id = od.document_id`,
    );
    await tx.query(`delete from od where open_amount <= 0`);
  }
}

/**
 * Up to five ranked suggestions for each exception of the run: documents or sets, each with a score from
 * 0 to 1 and why.
 */
async function suggest(tx: Db): Promise<void> {
  await tx.query(
    `create temp table cx_suggestions on commit drop as
     with ex as (
       select x.payment_ref, x.payer, x.reason, x.amount, x.currency from cx x where x.status = 'exception'
     ),
     s as (
       -- the documents the remittance names
       select e.payment_ref, array[l.document_id] as docs, l.doc_account as account_id, 0.70 as score,
         'named by the remittance advice' as why
       from ex e join cx_lines l on l.payment_ref = e.payment_ref
       join od o on o.document_id = l.document_id
       union all
       -- documents the text names (of another account, or with the payer unknown)
       select e.payment_ref, array[f.document_id], f.account_id, round(0.6 * f.conf, 2),
         'the payer''s text names it'
       from ex e join cx_refs f on f.payment_ref = e.payment_ref
       join od o on o.document_id = f.document_id
       union all
       -- the payer's documents whose open amount equals the credit
       select e.payment_ref, array[o.document_id], o.account_id, 0.60, 'open amount equals the payment'
       from ex e join od o on o.account_id = e.payer and o.currency = e.currency and o.open_amount = e.amount
       union all
       -- the payer's documents within 10 % of the credit
       select e.payment_ref, array[o.document_id], o.account_id,
         round(0.30 + 0.20 * (1 - abs(o.open_amount - e.amount) / (0.1 * e.amount)), 2),
         'open amount ' || o.open_amount || ' is close to the payment'
       from ex e join od o on o.account_id = e.payer and o.currency = e.currency
         and o.open_amount between e.amount * 0.9 and e.amount * 1.1 and o.open_amount <> e.amount
       union all
       -- pairs of the payer's documents that add up to the credit
       select e.payment_ref, array[a.document_id, b.document_id], a.account_id, 0.50,
         'two open documents add up to the payment'
       from ex e
       join od a on a.account_id = e.payer and a.currency = e.currency and a.open_amount < e.amount
       join od b on b.account_id = e.payer and b.currency = e.currency and b.document_id > a.document_id
         and b.open_amount = e.amount - a.open_amount
       where e.reason = 'AMBIGUOUS'
       union all
       -- payer unknown: documents of any account whose open amount equals the credit
       select o.payment_ref, array[o.document_id], o.account_id, 0.30,
         'open amount equals the payment (account ' || o.account_id || ')'
       from (
         select e.payment_ref, o.document_id, o.account_id,
           row_number() over (partition by e.payment_ref order by o.due_date, o.document_id) as k
         from ex e join od o on o.currency = e.currency and o.open_amount = e.amount
         where e.payer is null) o
       where o.k <= 5
     ),
     ranked as (
       select s.*, row_number() over (partition by s.payment_ref order by s.score desc, s.docs) as n
       from (select distinct on (payment_ref, docs) * from s order by payment_ref, docs, score desc) s
     )
     select r.payment_ref, jsonb_agg(jsonb_build_object('documents', to_jsonb(r.docs), 'account_id',
       r.account_id, 'score', r.score::text, 'why', r.why) order by r.n) as suggestions
     from ranked r where r.n <= 5 group by r.payment_ref`,
  );
}
