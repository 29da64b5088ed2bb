/**
 * A validation run: every submitted claim line through the ledger in processing order.
 *
 * The work is spread over connections so that every core (the machine's and PostgreSQL's) is busy at once:
 * - three readers share one snapshot and each streams, with `COPY … TO STDOUT` and in processing order, one
 *   part of every line's evidence (inputs.ts): the line with most of its evidence, the sell-out line it names,
 *   and the units bought by its sale date. They sort in parallel and are read in step, row for row;
 * - the writer holds the run's transaction: as the ledger decides line after line, the lines whose result or
 *   findings changed go, a chunk at a time, through `COPY … FROM STDIN` into a staging table and on into the
 *   results, findings and claims (with their audit events) by a few set-based statements, while the ledger
 *   goes on with the next chunk.
 * Runs are serialised by an advisory lock taken before the readers' snapshot, so several workers may ask for
 * one at once and each run sees everything the previous one wrote.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { Money } from '../../core/money.ts';
import { type Db, PoolDb, quoteIdent as q } from '../../db/db.ts';
import { requireRole } from '../identity/index.ts';
import {
  boughtQueryFor,
  claimsInOrderFor,
  findingsDigest,
  type LineInput,
  lineInputsQuery,
  type ProgramInForce,
  parseLine,
  programsInForceQuery,
  referencedSellOutQuery,
  scopeTable,
  sparseEvidenceFor,
} from './inputs.ts';
import { Ledger, type LineResult } from './ledger.ts';

export interface ValidationSummary {
  lines: number;
  evaluated: number;
  /** Lines whose result or findings this run changed (and wrote). */
  changed: number;
  claims_validated: number;
  seconds: number;
  lines_per_s: number;
}

/**
 * A run's staging table: one row per changed line (`r`), per finding of a changed line (`f`), per claim that
 * moves from submitted to validated (`c`).
 */
const stagingColumns = `kind "char", account_id text, claim_id text, line_no integer, status text, approved_qty integer,
  approved_unit_amount numeric, approved_amount numeric, calculated_amount numeric, matched_sell_out_ref text,
  program_version integer, rule_code text, effect text, detail text, evidence jsonb`;
const stagingWidth = 15;

/** Lines the ledger decides before their chunk goes to the writer: small enough that the writer starts early
 * and that little is left to write when the ledger is done. */
const chunkLines = 10_000;

/** A value in COPY's text format. */
const special = /[\\\t\n\r]/;
function copyText(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  return special.test(v)
    ? v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
    : v;
}

/** A row in COPY's text format; columns not given up to `width` are null. */
const row = (values: (string | number | null | undefined)[], width = values.length) => {
  const fields = values.map(copyText);
  while (fields.length < width) fields.push('\\N');
  return `${fields.join('\t')}\n`;
};

/**
 * What the ledger hands the writer, a chunk at a time. Lines validated for the first time go straight into
 * the results and findings (`COPY` into the tables themselves); lines that replace a stored result or
 * findings, and the claims that move on, go through the staging table and its merges.
 */
interface Chunk {
  results: string;
  findings: string;
  staged: string;
  lines: number;
  replaces: { results: boolean; findings: boolean };
}
const emptyChunk = (): Chunk => ({
  results: '',
  findings: '',
  staged: '',
  lines: 0,
  replaces: { results: false, findings: false },
});
const resultColumns =
  'account_id, claim_id, line_no, status, approved_qty, approved_unit_amount, approved_amount, calculated_amount, matched_sell_out_ref';
const findingColumns = 'account_id, claim_id, line_no, rule_code, effect, detail, evidence';

/** Two amounts stored and computed may be written differently (`10.0000`, `10`): compare their values. */
function sameAmount(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return false;
  return new Money(a).eq(b);
}

function changed(line: LineInput, r: LineResult): boolean {
  return (
    line.stored_status !== r.status ||
    line.stored_approved_qty !== r.approved_qty ||
    !sameAmount(line.stored_approved_unit_amount, r.approved_unit_amount) ||
    !sameAmount(line.stored_approved_amount, r.approved_amount) ||
    !sameAmount(line.stored_calculated_amount, r.calculated_amount) ||
    (line.stored_matched_sell_out_ref ?? null) !== r.matched_sell_out_ref ||
    (line.stored_findings ?? null) !== findingsDigest(r.findings)
  );
}

/** The complete lines of a COPY … TO STDOUT stream, a chunk at a time. */
async function* copyLines(stream: AsyncIterable<Buffer>): AsyncGenerator<string[]> {
  let rest = '';
  for await (const chunk of stream) {
    const text = rest + chunk.toString('utf8');
    const end = text.lastIndexOf('\n');
    if (end < 0) {
      rest = text;
      continue;
    }
    rest = text.slice(end + 1);
    yield text.slice(0, end).split('\n');
  }
  if (rest !== '') yield [rest];
}

/** Reads several line streams in step: each yielded batch has the same number of lines from every stream. */
async function* inStep(streams: AsyncGenerator<string[]>[]): AsyncGenerator<string[][]> {
  const pending: string[][] = streams.map(() => []);
  for (;;) {
    for (const [i, s] of streams.entries()) {
      while (pending[i]!.length === 0) {
        const next = await s.next();
        if (next.done) {
          if (pending.some((p) => p.length > 0)) throw new Error('validation streams ended out of step');
          return;
        }
        pending[i] = next.value;
      }
    }
    const n = Math.min(...pending.map((p) => p.length));
    yield pending.map((p) => p.slice(0, n));
    for (const [i, p] of pending.entries()) pending[i] = p.slice(n);
  }
}

/**
 * Statements that move one staged chunk into the results, findings and claims. Lines validated for the first
 * time have no result and no findings to replace: a chunk of only those skips the deletes.
 */
function mergeStatements(staging: string, replaces: { results: boolean; findings: boolean }): string[] {
  const open = `c.account_id = r.account_id and c.claim_id = r.claim_id and c.status in ('submitted', 'validated', 'in_review')`;
  return [
    // Changed lines of claims still open get their new result (a claim decided meanwhile keeps its own):
    // narrow rows replaced, which costs far less than updating the lines themselves.
    ...(replaces.results
      ? [
          `delete from claim_line_results l using ${staging} r, claims c
      where r.kind = 'r' and l.account_id = r.account_id and l.claim_id = r.claim_id and l.line_no = r.line_no
        and ${open}`,
        ]
      : []),
    `insert into claim_line_results (account_id, claim_id, line_no, status, approved_qty, approved_unit_amount,
        approved_amount, calculated_amount, matched_sell_out_ref)
      select r.account_id, r.claim_id, r.line_no, r.status, r.approved_qty, r.approved_unit_amount, r.approved_amount,
        r.calculated_amount, r.matched_sell_out_ref
      from ${staging} r join claims c on ${open}
      where r.kind = 'r'`,
    // Their findings are replaced, keeping analysts' resolutions of those that are found again.
    ...(replaces.findings
      ? [
          `delete from claim_findings f using ${staging} r
      where r.kind = 'r' and f.account_id = r.account_id and f.claim_id = r.claim_id and f.line_no = r.line_no
        and not exists (select 1 from ${staging} n where n.kind = 'f' and n.account_id = f.account_id
                        and n.claim_id = f.claim_id and n.line_no = f.line_no and n.rule_code = f.rule_code)`,
        ]
      : []),
    `insert into claim_findings (account_id, claim_id, line_no, rule_code, effect, detail, evidence)
      select account_id, claim_id, line_no, rule_code, effect, detail, evidence from ${staging} where kind = 'f'
      on conflict (account_id, claim_id, line_no, rule_code) do update
        set effect = excluded.effect, detail = excluded.detail, evidence = excluded.evidence`,
  ];
}

/** The run's advisory lock: a whole run takes it alone, slices of a spread run share it (slices.ts). */
const runLock = `hashtext('clearhouse.claims.validate')`;

/**
 * Validates every claim, or (`accounts`) the claims of some partners only: a slice of a run spread over
 * workers (slices.ts), which must hold every partner that shares anything with one of them.
 */
export async function validateClaims(
  db: Db,
  opts: { onProgress?: (lines: number) => void; accounts?: readonly string[] } = {},
): Promise<ValidationSummary> {
  requireRole(db.actor, ['administrator', 'rebate_analyst', 'manager']);
  if (!(db instanceof PoolDb))
    throw new Error('A validation run needs connections of its own: pass the pool.');
  if (db.actor.accounts !== '*')
    throw new Error('A validation run reads every account: run it as the company.');
  const readers = db;
  const started = performance.now();
  const trace = (label: string) => {
    if (process.env.CLEARHOUSE_TRACE_VALIDATION) {
      const cpu = process.cpuUsage();
      process.stderr.write(
        `${((performance.now() - started) / 1000).toFixed(2)} s (node cpu ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, rss ${Math.round(process.memoryUsage().rss / 1e6)} MB): ${label}\n`,
      );
    }
  };
  return db.tx(async (tx) => {
    const scoped = opts.accounts !== undefined;
    if (scoped) {
      // Slices of a spread run share the run's lock and exclude one another by their partners' rows (a slice
      // queued twice waits for the other), so a whole run waits for every slice under way, and they for it.
      await tx.query(`select pg_advisory_xact_lock_shared(${runLock})`);
      await tx.query(
        `select 1 from accounts where account_id = any($1::text[]) order by account_id collate "C" for no key update`,
        [opts.accounts],
      );
    } else {
      await tx.query(`select pg_advisory_xact_lock(${runLock})`);
    }
    // The run writes for every account: as the tables' owner, which COPY into tables under row security needs.
    await tx.query(`set local role none; set local jit = off; set local work_mem = '256MB'`);
    const staging = `staging.${q(`val_${randomUUID().replaceAll('-', '')}`)}`;
    await tx.query(`create unlogged table ${staging} (${stagingColumns})`);

    // The writer works a chunk behind the ledger; the ledger waits only when it is two chunks ahead.
    let validatedClaims = 0;
    const spent = new Map<string, number>();
    const timed = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
      const t = performance.now();
      try {
        return await work();
      } finally {
        spent.set(label, (spent.get(label) ?? 0) + performance.now() - t);
      }
    };
    const copyInto = async (target: string, text: string) => {
      if (text !== '')
        await timed(`copy ${target.split(' ')[0]}`, () =>
          pipeline(Readable.from([text]), tx.client!.query(copyFrom(`copy ${target} from stdin`))),
        );
    };
    const writeChunk = async (c: Chunk) => {
      await copyInto(`claim_line_results (${resultColumns})`, c.results);
      await copyInto(`claim_findings (${findingColumns})`, c.findings);
      if (c.staged === '') return;
      await copyInto(staging, c.staged);
      for (const [i, statement] of mergeStatements(staging, c.replaces).entries())
        await timed(`merge ${i}`, () => tx.query(statement));
      // Claims newly validated move on, each with an audit event, in one statement.
      const moved = await timed('claims moved', () =>
        tx.query<{ n: string }>(
          `with moved as (
           update claims c set status = 'validated', validated_at = now(), updated_at = now(),
             program_version = v.program_version
           from ${staging} v
           where v.kind = 'c' and c.account_id = v.account_id and c.claim_id = v.claim_id and c.status = 'submitted'
           returning c.account_id, c.claim_id, c.program_version
         ),
         audited as (
           insert into audit_events (account_id, entity_type, entity_id, action, actor_id, actor_name, before, after)
           select m.account_id, 'claim', m.claim_id, 'validated', $1, $2, '{"status":"submitted"}',
             jsonb_build_object('status', 'validated', 'program_version', m.program_version)
           from moved m
           returning 1
         )
         select count(*) as n from audited`,
          [tx.actor.userId, tx.actor.name],
        ),
      );
      validatedClaims += Number(moved.rows[0]!.n);
      await tx.query(`truncate ${staging}`);
    };
    let writing: Promise<void> = Promise.resolve();
    let queued = 0;
    let chunk = emptyChunk();
    const handOver = async () => {
      const c = chunk;
      if (c.results === '' && c.findings === '' && c.staged === '') return;
      chunk = emptyChunk();
      queued++;
      writing = writing.then(() => writeChunk(c)).finally(() => queued--);
      writing.catch(() => undefined); // awaited below; a failure surfaces there
      if (queued > 1) {
        const t = performance.now();
        await writing;
        waited.writer += performance.now() - t;
      }
    };
    const waited = { writer: 0, readers: 0 };

    const ledger = new Ledger();
    let lines = 0;
    let evaluated = 0;
    let changedLines = 0;
    let claim: { account_id: string; claim_id: string; status: string; version: number | null } | undefined;
    const closeClaim = () => {
      if (claim?.status === 'submitted') {
        chunk.staged += row(
          ['c', claim.account_id, claim.claim_id, null, null, null, null, null, null, null, claim.version],
          stagingWidth,
        );
      }
    };
    const take = (line: LineInput) => {
      if (claim?.claim_id !== line.claim_id || claim.account_id !== line.account_id) {
        closeClaim();
        claim = {
          account_id: line.account_id,
          claim_id: line.claim_id,
          status: line.claim_status,
          version: line.program_version,
        };
      }
      const r = ledger.process(line);
      lines++;
      if (!r.evaluated) return;
      evaluated++;
      if (!changed(line, r)) return;
      changedLines++;
      chunk.lines++;
      const result = [
        r.account_id,
        r.claim_id,
        r.line_no,
        r.status,
        r.approved_qty,
        r.approved_unit_amount,
        r.approved_amount,
        r.calculated_amount,
        r.matched_sell_out_ref,
      ];
      if (line.stored_status === null && !line.stored_findings) {
        chunk.results += row(result);
        for (const f of r.findings) {
          chunk.findings += row([
            r.account_id,
            r.claim_id,
            r.line_no,
            f.rule_code,
            f.effect,
            f.detail,
            JSON.stringify(f.evidence),
          ]);
        }
        return;
      }
      if (line.stored_status !== null) chunk.replaces.results = true;
      if (line.stored_findings) chunk.replaces.findings = true;
      chunk.staged += row(['r', ...result, r.program_version], stagingWidth);
      for (const f of r.findings) {
        const finding = [f.rule_code, f.effect, f.detail, JSON.stringify(f.evidence)];
        chunk.staged += row([
          'f',
          r.account_id,
          r.claim_id,
          r.line_no,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          ...finding,
        ]);
      }
    };

    try {
      await readers.snapshots(3, async ([main, sellOut, bought]) => {
        // The run reads everything (its actor sees every account): as the tables' owner, so that row security
        // neither costs a check per row nor blurs the planner's estimates. No parallel workers: three readers
        // and the ledger already keep the cores busy, and serial plans cost far less CPU in all. No nested
        // loops: every join reads all the lines, and the planner, which cannot see that every line joins its
        // claim (two columns), would otherwise look up evidence line by line.
        for (const r of [main!, sellOut!, bought!]) {
          await r.query(
            `set local role none; set local jit = off; set local work_mem = '256MB'; set local max_parallel_workers_per_gather = 0; set local enable_nestloop = off`,
          );
          if (scoped) {
            await r.query(scopeTable);
            await r.query('insert into val_scope select unnest($1::text[]) on conflict do nothing', [
              opts.accounts,
            ]);
          }
          await r.query(claimsInOrderFor(scoped));
          await r.query('analyze val_claims');
        }
        const programs = new Map(
          (await main!.query<ProgramInForce>(programsInForceQuery)).rows.map((p) => [p.program_id, p]),
        );
        const stream = (r: Db, query: string) =>
          copyLines(r.client!.query(copyTo(`copy (${query}) to stdout`)) as AsyncIterable<Buffer>);
        // The two side streams start sorting while the main one gathers its sparse evidence.
        const side = [stream(sellOut!, referencedSellOutQuery), stream(bought!, boughtQueryFor(scoped))];
        const primed = Promise.all(side.map((s) => s.next()));
        for (const statement of sparseEvidenceFor(scoped)) {
          await main!.query(statement);
          await main!.query(`analyze ${/create temp table (\w+)/.exec(statement)![1]}`);
        }
        trace('sparse evidence gathered');
        const first = await primed;
        const rest = side.map((s, i) =>
          (async function* () {
            const head = first[i]!;
            if (!head.done) yield head.value;
            yield* s;
          })(),
        );
        let reported = false;
        let t = performance.now();
        for await (const [a, b, c] of inStep([stream(main!, lineInputsQuery), ...rest])) {
          if (!reported) trace('first evidence');
          else waited.readers += performance.now() - t;
          reported = true;
          for (let i = 0; i < a!.length; i++) {
            take(parseLine({ line: a![i]!, sellOut: b![i]!, bought: c![i]! }, programs));
            if (chunk.lines >= chunkLines) await handOver();
          }
          opts.onProgress?.(lines);
          t = performance.now();
        }
      });
      closeClaim();
      trace(`${lines} lines through the ledger, ${changedLines} changed`);
      await handOver();
      await writing;
    } catch (err) {
      await writing.catch(() => undefined);
      throw err;
    }
    trace(`writer: ${[...spent].map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`).join(', ')}`);
    trace(
      `written; waited for the writer ${(waited.writer / 1000).toFixed(1)} s, for the readers ${(waited.readers / 1000).toFixed(1)} s`,
    );
    await tx.query(`drop table ${staging}`);
    // Which policies applied to each open claim (decided claims keep what their validation applied).
    await tx.query(
      `update claims c set policy_country_date = pol.country_date, policy_account_date = pol.account_date
       from claims k cross join lateral clearhouse_policy(k.account_id, k.submitted_date) pol
       where exists (select 1 from policies) and k.status in ('submitted', 'validated', 'in_review')
         and c.account_id = k.account_id and c.claim_id = k.claim_id
         and (c.policy_country_date, c.policy_account_date) is distinct from (pol.country_date, pol.account_date)
         and ($1::text[] is null or k.account_id = any($1::text[]))`,
      [opts.accounts ?? null],
    );
    await tx.query(
      `update claims set policy_country_date = null, policy_account_date = null
       where not exists (select 1 from policies) and status in ('submitted', 'validated', 'in_review')
         and (policy_country_date is not null or policy_account_date is not null)
         and ($1::text[] is null or account_id = any($1::text[]))`,
      [opts.accounts ?? null],
    );
    trace('policies recorded');
    const seconds = (performance.now() - started) / 1000;
    return {
      lines,
      evaluated,
      changed: changedLines,
      claims_validated: validatedClaims,
      seconds: Number(seconds.toFixed(2)),
      lines_per_s: Math.round(lines / Math.max(seconds, 0.001)),
    };
  });
}
