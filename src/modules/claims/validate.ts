/**
 * A validation run: every submitted claim line through the ledger in processing order, in one transaction.
 * The evidence comes set-based from one cursor (inputs.ts); results and findings go back through COPY into
 * staging tables and are merged set-based, so the run costs a few statements whatever the number of lines.
 * Runs are serialised by an advisory lock, so several workers may ask for one at once.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db } from '../../db/db.ts';
import { quoteIdent as q } from '../../db/db.ts';
import { requireRole } from '../identity/index.ts';
import {
  dealOf,
  type LineInput,
  lineInputsQuery,
  type ProgramTermsRow,
  programTermsQuery,
  sellOutOf,
} from './inputs.ts';
import { Ledger, type LineResult } from './ledger.ts';

export interface ValidationSummary {
  lines: number;
  evaluated: number;
  claims_validated: number;
  seconds: number;
  lines_per_s: number;
}

const batchSize = 2_000;

export async function validateClaims(
  db: Db,
  opts: { onProgress?: (lines: number) => void } = {},
): Promise<ValidationSummary> {
  requireRole(db.actor, ['administrator', 'rebate_analyst', 'manager']);
  const started = performance.now();
  return db.tx(async (tx) => {
    const client = tx.client!;
    await tx.query(`select pg_advisory_xact_lock(hashtext('clearhouse.claims.validate'))`);
    // One wide sort orders every line; give it memory so it does not spill to disk.
    await tx.query(`set local jit = off; set local work_mem = '64MB'`);
    const id = randomUUID().replaceAll('-', '');
    const results = `staging.${q(`val_${id}`)}`;
    const findings = `staging.${q(`valf_${id}`)}`;
    await tx.query(`create unlogged table ${results} (account_id text, claim_id text, line_no integer, status text,
      approved_qty integer, approved_unit_amount numeric, approved_amount numeric, calculated_amount numeric,
      matched_sell_out_ref text, program_version integer)`);
    await tx.query(`create unlogged table ${findings} (account_id text, claim_id text, line_no integer,
      rule_code text, effect text, detail text, evidence jsonb)`);

    const ledger = new Ledger();
    let lines = 0;
    let evaluated = 0;
    const flush = async (batch: LineResult[]) => {
      const rows = batch.filter((r) => r.evaluated);
      if (rows.length === 0) return;
      evaluated += rows.length;
      const resultCsv = stringify(
        rows.map((r) => [
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
        ]),
      );
      await pipeline(
        Readable.from([resultCsv]),
        client.query(copyFrom(`copy ${results} from stdin with (format csv)`)),
      );
      const findingRows = rows.flatMap((r) =>
        r.findings.map((f) => [
          r.account_id,
          r.claim_id,
          r.line_no,
          f.rule_code,
          f.effect,
          f.detail,
          JSON.stringify(f.evidence),
        ]),
      );
      if (findingRows.length > 0) {
        await pipeline(
          Readable.from([stringify(findingRows)]),
          client.query(copyFrom(`copy ${findings} from stdin with (format csv)`)),
        );
      }
    };

    const terms = new Map(
      (await tx.query<{ program_id: string; terms: ProgramTermsRow }>(programTermsQuery)).rows.map((r) => [
        r.program_id,
        r.terms,
      ]),
    );
    await tx.query(`declare claim_lines_in_order no scroll cursor for ${lineInputsQuery}`);
    const time = { fetch: 0, ledger: 0, write: 0 };
    for (;;) {
      let t = performance.now();
      const { rows } = await tx.query<LineInput>(`fetch ${batchSize} from claim_lines_in_order`);
      time.fetch += performance.now() - t;
      if (rows.length === 0) break;
      t = performance.now();
      const batch = rows.map((row) => {
        row.terms = row.program_version === null ? null : (terms.get(row.program_id) ?? null);
        row.deal = dealOf(row as unknown as Record<string, unknown>);
        row.sell_out = sellOutOf(row as unknown as Record<string, unknown>);
        return ledger.process(row);
      });
      time.ledger += performance.now() - t;
      lines += rows.length;
      t = performance.now();
      await flush(batch);
      time.write += performance.now() - t;
      if (process.env.CLEARHOUSE_TRACE_VALIDATION && lines % 50_000 === 0) {
        const m = process.memoryUsage();
        process.stderr.write(
          `${lines} lines: heap ${Math.round(m.heapUsed / 1e6)} MB, rss ${Math.round(m.rss / 1e6)} MB\n`,
        );
      }
      opts.onProgress?.(lines);
    }
    const trace = (label: string) => {
      if (process.env.CLEARHOUSE_TRACE_VALIDATION)
        process.stderr.write(`${new Date().toISOString()} ${label}\n`);
    };
    trace(`validation ms: ${JSON.stringify(time)}`);
    await tx.query('close claim_lines_in_order');

    // Lines whose result changed get it; findings are replaced, keeping analysts' resolutions of those that
    // are found again.
    await tx.query(`update claim_lines l set status = r.status, approved_qty = r.approved_qty,
        approved_unit_amount = r.approved_unit_amount, approved_amount = r.approved_amount,
        calculated_amount = r.calculated_amount, matched_sell_out_ref = r.matched_sell_out_ref, updated_at = now()
      from ${results} r
      where l.account_id = r.account_id and l.claim_id = r.claim_id and l.line_no = r.line_no
        and (l.status, l.approved_qty, l.approved_unit_amount, l.approved_amount, l.calculated_amount, l.matched_sell_out_ref)
          is distinct from (r.status, r.approved_qty, r.approved_unit_amount, r.approved_amount, r.calculated_amount, r.matched_sell_out_ref)`);
    trace('lines updated');
    await tx.query(`delete from claim_findings f using ${results} r
      where f.account_id = r.account_id and f.claim_id = r.claim_id and f.line_no = r.line_no
        and not exists (select 1 from ${findings} n where n.account_id = f.account_id and n.claim_id = f.claim_id
                        and n.line_no = f.line_no and n.rule_code = f.rule_code)`);
    trace('findings deleted');
    await tx.query(`insert into claim_findings (account_id, claim_id, line_no, rule_code, effect, detail, evidence)
      select account_id, claim_id, line_no, rule_code, effect, detail, evidence from ${findings}
      on conflict (account_id, claim_id, line_no, rule_code) do update
        set effect = excluded.effect, detail = excluded.detail, evidence = excluded.evidence`);
    trace('findings inserted');
    // Claims newly validated move on, each with an audit event, in one statement.
    const validated = await tx.query<{ n: string }>(
      `with v as (
         select account_id, claim_id, max(program_version) as program_version from ${results} group by account_id, claim_id
       ),
       moved as (
         update claims c set status = 'validated', validated_at = now(), updated_at = now(),
           program_version = v.program_version
         from v where c.account_id = v.account_id and c.claim_id = v.claim_id and c.status = 'submitted'
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
    trace('claims updated');
    await tx.query(`drop table ${results}`);
    await tx.query(`drop table ${findings}`);
    const seconds = (performance.now() - started) / 1000;
    return {
      lines,
      evaluated,
      claims_validated: Number(validated.rows[0]!.n),
      seconds: Number(seconds.toFixed(2)),
      lines_per_s: Math.round(lines / Math.max(seconds, 0.001)),
    };
  });
}
