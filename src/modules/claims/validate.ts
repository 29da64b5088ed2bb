/**
 * A validation run: every submitted claim line through the ledger in processing order.
 *
 * Two connections work side by side so that both of the machine's cores (and PostgreSQL's) are busy:
 * - the reader streams every line with its evidence (inputs.ts) out of one read-only snapshot with
 *   `COPY … TO STDOUT`;
 * - the writer holds the run's transaction: as the ledger decides line after line, the lines whose result or
 *   findings changed stream into one staging table through `COPY … FROM STDIN`, and when the stream ends a
 *   few set-based statements merge them into the claims, their lines and findings, with the audit trail.
 * Runs are serialised by an advisory lock taken before the reader's snapshot, so several workers may ask
 * for one at once and each run sees everything the previous one wrote.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { Money } from '../../core/money.ts';
import { type Db, PoolDb, quoteIdent as q } from '../../db/db.ts';
import { requireRole } from '../identity/index.ts';
import {
  findingsDigest,
  type LineInput,
  lineInputsQuery,
  type ProgramInForce,
  parseLine,
  programsInForceQuery,
  sparseEvidence,
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

/** A run's staging table: one row per changed line (`r`), per finding of a changed line (`f`), per claim
 * that moves from submitted to validated (`c`). */
const stagingColumns = `kind "char", account_id text, claim_id text, line_no integer, status text, approved_qty integer,
  approved_unit_amount numeric, approved_amount numeric, calculated_amount numeric, matched_sell_out_ref text,
  program_version integer, rule_code text, effect text, detail text, evidence jsonb`;

/** A value in COPY's text format. */
function copyText(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  const s = typeof v === 'number' ? String(v) : v;
  return /[\\\t\n\r]/.test(s)
    ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
    : s;
}

const stagingWidth = 15;
/** A staging row; columns not given are null. */
const row = (values: (string | number | null | undefined)[]) => {
  const fields = values.map(copyText);
  while (fields.length < stagingWidth) fields.push('\\N');
  return `${fields.join('\t')}\n`;
};

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

export async function validateClaims(
  db: Db,
  opts: { onProgress?: (lines: number) => void } = {},
): Promise<ValidationSummary> {
  requireRole(db.actor, ['administrator', 'rebate_analyst', 'manager']);
  if (!(db instanceof PoolDb))
    throw new Error('A validation run needs connections of its own: pass the pool.');
  const reader = db;
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
    const client = tx.client!;
    await tx.query(`select pg_advisory_xact_lock(hashtext('clearhouse.claims.validate'))`);
    await tx.query(`set local jit = off; set local work_mem = '256MB'`);
    const staging = `staging.${q(`val_${randomUUID().replaceAll('-', '')}`)}`;
    await tx.query(`create unlogged table ${staging} (${stagingColumns})`);

    const out = new PassThrough({ highWaterMark: 1 << 20 });
    const copying = finished(out.pipe(client.query(copyFrom(`copy ${staging} from stdin`))));
    copying.catch(() => undefined); // awaited below; a failure surfaces there
    // Rows go to PostgreSQL in chunks of about 256 kB: a socket write per line would cost more than the line.
    let pending = '';
    const flush = async () => {
      if (pending === '') return;
      const ok = out.write(pending);
      pending = '';
      if (!ok) await once(out, 'drain');
    };
    const write = async (text: string) => {
      pending += text;
      if (pending.length >= 1 << 18) await flush();
    };

    const ledger = new Ledger();
    let lines = 0;
    let evaluated = 0;
    let changedLines = 0;
    let claim: { account_id: string; claim_id: string; status: string; version: number | null } | undefined;
    const closeClaim = async () => {
      if (claim?.status === 'submitted') {
        await write(
          row([
            'c',
            claim.account_id,
            claim.claim_id,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            claim.version,
          ]),
        );
      }
    };
    const take = async (line: LineInput) => {
      if (claim?.claim_id !== line.claim_id) {
        await closeClaim();
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
      let text = row([
        'r',
        r.account_id,
        r.claim_id,
        r.line_no,
        r.status,
        r.approved_qty,
        r.approved_unit_amount,
        r.approved_amount,
        r.calculated_amount,
        r.matched_sell_out_ref,
        r.program_version,
      ]);
      for (const f of r.findings) {
        text += row([
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
          f.rule_code,
          f.effect,
          f.detail,
          JSON.stringify(f.evidence),
        ]);
      }
      await write(text);
    };

    try {
      await reader.snapshot(async (rdb) => {
        // The run reads everything (its actor sees every account): as the tables' owner, so that row security
        // neither costs a check per row nor blurs the planner's estimates.
        await rdb.query(`set local role none; set local jit = off; set local work_mem = '256MB'`);
        for (const statement of sparseEvidence) {
          await rdb.query(statement);
          await rdb.query(`analyze ${/create temp table (\w+)/.exec(statement)![1]}`);
        }
        const programs = new Map(
          (await rdb.query<ProgramInForce>(programsInForceQuery)).rows.map((p) => [p.program_id, p]),
        );
        const stream = rdb.client!.query(copyTo(`copy (${lineInputsQuery}) to stdout`));
        let rest = '';
        trace('reading');
        let first = true;
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          if (first) trace('first evidence');
          first = false;
          const text = rest + chunk.toString('utf8');
          const end = text.lastIndexOf('\n');
          rest = text.slice(end + 1);
          if (end < 0) continue;
          for (const line of text.slice(0, end).split('\n')) await take(parseLine(line, programs));
          opts.onProgress?.(lines);
        }
        if (rest !== '') await take(parseLine(rest, programs));
      });
      await closeClaim();
      await flush();
      out.end();
      await copying;
    } catch (err) {
      out.destroy();
      await copying.catch(() => undefined);
      throw err;
    }

    trace(`${lines} lines through the ledger, ${changedLines} changed`);
    await tx.query(`analyze ${staging}`);
    // Changed lines of claims still open get their new result (a claim decided meanwhile keeps its own):
    // narrow rows replaced, which costs far less than updating the lines themselves.
    const open = `c.account_id = r.account_id and c.claim_id = r.claim_id and c.status in ('submitted', 'validated', 'in_review')`;
    await tx.query(`delete from claim_line_results l using ${staging} r, claims c
      where r.kind = 'r' and l.account_id = r.account_id and l.claim_id = r.claim_id and l.line_no = r.line_no
        and ${open}`);
    await tx.query(`insert into claim_line_results (account_id, claim_id, line_no, status, approved_qty,
        approved_unit_amount, approved_amount, calculated_amount, matched_sell_out_ref)
      select r.account_id, r.claim_id, r.line_no, r.status, r.approved_qty, r.approved_unit_amount, r.approved_amount,
        r.calculated_amount, r.matched_sell_out_ref
      from ${staging} r join claims c on ${open}
      where r.kind = 'r'`);
    trace('lines updated');
    // Their findings are replaced, keeping analysts' resolutions of those that are found again.
    await tx.query(`delete from claim_findings f using ${staging} r
      where r.kind = 'r' and f.account_id = r.account_id and f.claim_id = r.claim_id and f.line_no = r.line_no
        and not exists (select 1 from ${staging} n where n.kind = 'f' and n.account_id = f.account_id
                        and n.claim_id = f.claim_id and n.line_no = f.line_no and n.rule_code = f.rule_code)`);
    await tx.query(`insert into claim_findings (account_id, claim_id, line_no, rule_code, effect, detail, evidence)
      select account_id, claim_id, line_no, rule_code, effect, detail, evidence from ${staging} where kind = 'f'
      on conflict (account_id, claim_id, line_no, rule_code) do update
        set effect = excluded.effect, detail = excluded.detail, evidence = excluded.evidence`);
    trace('findings replaced');
    // Claims newly validated move on, each with an audit event, in one statement.
    const validated = await tx.query<{ n: string }>(
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
    );
    trace('claims moved on');
    await tx.query(`drop table ${staging}`);
    const seconds = (performance.now() - started) / 1000;
    return {
      lines,
      evaluated,
      changed: changedLines,
      claims_validated: Number(validated.rows[0]!.n),
      seconds: Number(seconds.toFixed(2)),
      lines_per_s: Math.round(lines / Math.max(seconds, 0.001)),
    };
  });
}
