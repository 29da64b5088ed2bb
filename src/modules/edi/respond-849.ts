/**
 * Outbound 849 (docs/edi.md, "849"): the answer to each validated or decided claim, one transaction set per
 * claim, grouped into one interchange per partner with control numbers from that partner's sequence. What an
 * 849 said is kept per claim (a fingerprint of its lines), so the `edi.respond` job, run after every
 * validation and decision, sends a new 849 only where the answer changed.
 *
 *   BAA*00*DR*{date}*DM*{claim_id}
 *   CUR*SE*{currency}
 *   REF*AH*{program_id}
 *   REF*ACC*{claim status}
 *   N1*DS**91*{account_id}
 *   PAD*{line_no}
 *     LIN**VP*{sku}
 *     QTY*39*{claimed qty}*EA
 *     QTY*QA*{approved_qty}*EA
 *     UIT*EA*{approved_unit_amount}
 *     AMT*1*{claimed_amount}
 *     AMT*AP*{approved_amount}
 *     REF*ACC*{line status}
 *     AAA*N**{reject reason}        (per finding with a reject reason, on rejected, adjusted and review lines)
 *   CTT*{lines}
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { today } from '../../core/dates.ts';
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { x12RejectReason } from '../claims/index.ts';
import { requireRole } from '../identity/index.ts';
import { defineJob } from '../platform/index.ts';
import { type SegmentOut, x12Date } from '../x12/index.ts';
import { sendToPartner } from './send.ts';

export const ediRoles = ['administrator', 'rebate_analyst', 'manager'] as const;

interface ClaimRow {
  account_id: string;
  claim_id: string;
  program_id: string;
  currency: string;
  status: string;
  lines: {
    line_no: number;
    sku: string | null;
    qty: number | null;
    claimed_amount: string;
    approved_qty: number | null;
    approved_unit_amount: string | null;
    approved_amount: string | null;
    status: string;
    findings: { rule_code: string; effect: string; evidence: Record<string, unknown> | null }[];
  }[];
}

/** The lines of an 849 with their AAA reasons: the set's content and what its fingerprint is made of. */
function answerLines(c: ClaimRow) {
  return c.lines.map((l) => ({
    ...l,
    reasons: ['rejected', 'adjusted', 'review'].includes(l.status)
      ? l.findings.map((f) => x12RejectReason(f)).filter((r): r is string => r !== null)
      : [],
  }));
}

function set849(c: ClaimRow, date: string): SegmentOut[] {
  const segments: SegmentOut[] = [
    ['BAA', '00', 'DR', x12Date(date), 'DM', c.claim_id],
    ['CUR', 'SE', c.currency],
    ['REF', 'AH', c.program_id],
    ['REF', 'ACC', c.status],
    ['N1', 'DS', null, '91', c.account_id],
  ];
  for (const l of answerLines(c)) {
    segments.push(['PAD', String(l.line_no)]);
    if (l.sku) segments.push(['LIN', null, 'VP', l.sku]);
    if (l.qty !== null) segments.push(['QTY', '39', String(l.qty), 'EA']);
    if (l.approved_qty !== null) segments.push(['QTY', 'QA', String(l.approved_qty), 'EA']);
    if (l.approved_unit_amount !== null) segments.push(['UIT', 'EA', l.approved_unit_amount]);
    segments.push(['AMT', '1', l.claimed_amount]);
    segments.push(['AMT', 'AP', l.approved_amount ?? '0']);
    segments.push(['REF', 'ACC', l.status]);
    for (const r of [...new Set(l.reasons)]) segments.push(['AAA', 'N', null, r]);
  }
  segments.push(['CTT', String(c.lines.length)]);
  return segments;
}

function fingerprint(c: ClaimRow): string {
  const lines = answerLines(c).map((l) => [
    l.line_no,
    l.status,
    l.approved_qty,
    l.approved_amount,
    [...new Set(l.reasons)].sort(),
  ]);
  return createHash('sha256')
    .update(JSON.stringify([c.status, lines]))
    .digest('hex');
}

/** Validated or decided claims (every line has a result), with their lines and findings. */
async function answerableClaims(
  tx: Db,
  filter: { claimIds?: readonly string[]; tradingPartnersOnly: boolean },
): Promise<ClaimRow[]> {
  const { rows } = await tx.query<ClaimRow>(
    `select c.account_id, c.claim_id, c.program_id, c.currency, c.status,
       (select jsonb_agg(jsonb_build_object('line_no', l.line_no, 'sku', l.sku, 'qty', l.qty,
           'claimed_amount', l.claimed_amount::text, 'approved_qty', l.approved_qty,
           'approved_unit_amount', l.approved_unit_amount::text, 'approved_amount', l.approved_amount::text,
           'status', l.status,
           'findings', coalesce((select jsonb_agg(jsonb_build_object('rule_code', f.rule_code, 'effect', f.effect,
                                   'evidence', f.evidence) order by f.rule_code collate "C")
                                 from claim_findings f where f.account_id = l.account_id and f.claim_id = l.claim_id
                                   and f.line_no = l.line_no), '[]'::jsonb)) order by l.line_no)
        from claim_lines l where l.account_id = c.account_id and l.claim_id = c.claim_id) as lines
     from claims c
     where c.status not in ('draft', 'submitted')
       and ($1::text[] is null or c.claim_id = any($1))
       and (not $2 or exists (select 1 from edi_trading_partners t where t.account_id = c.account_id
                               and '849' = any(t.sets_sent)))
       and not exists (select 1 from claim_lines l where l.account_id = c.account_id and l.claim_id = c.claim_id
                         and l.status is null)
     order by c.account_id collate "C", c.claim_id collate "C"`,
    [filter.claimIds ?? null, filter.tradingPartnersOnly],
  );
  return rows.filter((r) => r.lines);
}

/** Amounts as written: the stored numeric without trailing zeros beyond two decimals. */
function amount(v: string | null): string | null {
  if (v === null) return null;
  const [i, f = ''] = v.split('.');
  const frac = f.replace(/0+$/, '').padEnd(2, '0');
  return `${i}.${frac}`;
}

export interface Responded {
  interchanges: { interchange_id: string; account_id: string; control_number: string; claims: string[] }[];
  claims: number;
}

/**
 * Makes the 849s: for `claimIds`, those claims (again, even unchanged); otherwise every answerable claim of a
 * trading partner that receives 849s whose answer changed since the last 849. Stored, ready to be written.
 */
export async function respond849(
  db: Db,
  opts: { claimIds?: readonly string[]; date?: string } = {},
): Promise<Responded> {
  requireRole(db.actor, ediRoles as never);
  return db.tx(async (tx) => {
    await tx.query(`select pg_advisory_xact_lock(hashtext('clearhouse.edi.849'))`);
    const claims = await answerableClaims(tx, {
      claimIds: opts.claimIds,
      tradingPartnersOnly: !opts.claimIds,
    });
    if (opts.claimIds) {
      const found = new Set(claims.map((c) => c.claim_id));
      const missing = opts.claimIds.filter((id) => !found.has(id));
      if (missing.length > 0) {
        throw new AppError(
          'not_found',
          `No validated or decided claim ${missing.join(', ')} (an 849 answers those only).`,
        );
      }
    }
    const last = await tx.query<{ account_id: string; claim_id: string; fingerprint: string }>(
      `select account_id, claim_id, fingerprint from edi_claim_responses`,
    );
    const sent = new Map(last.rows.map((r) => [`${r.account_id}\u0000${r.claim_id}`, r.fingerprint]));
    for (const c of claims) {
      for (const l of c.lines) {
        l.claimed_amount = amount(l.claimed_amount)!;
        l.approved_unit_amount = amount(l.approved_unit_amount);
        l.approved_amount = amount(l.approved_amount);
      }
    }
    const todo = claims
      .map((c) => ({ c, fp: fingerprint(c) }))
      .filter(({ c, fp }) => opts.claimIds || sent.get(`${c.account_id}\u0000${c.claim_id}`) !== fp);
    const byPartner = new Map<string, typeof todo>();
    for (const t of todo) byPartner.set(t.c.account_id, [...(byPartner.get(t.c.account_id) ?? []), t]);
    const date = opts.date ?? today();
    const out: Responded = { interchanges: [], claims: todo.length };
    for (const [account, items] of byPartner) {
      const sent = await sendToPartner(
        tx,
        account,
        { functionalId: 'CF', setCode: '849', message: `849 for ${items.length} claim(s)` },
        items.map(({ c }) => ({ reference: c.claim_id, rows: c.lines.length, segments: set849(c, date) })),
      );
      const interchangeId = sent.interchange_id;
      const control = sent.control_number;
      await tx.query(
        `insert into edi_claim_responses (account_id, claim_id, fingerprint, interchange_id)
         select $1, s.claim_id, s.fp, $2 from jsonb_to_recordset($3::jsonb) as s(claim_id text, fp text)
         on conflict (account_id, claim_id) do update set fingerprint = excluded.fingerprint,
           interchange_id = excluded.interchange_id, sent_at = now()`,
        [account, interchangeId, JSON.stringify(items.map(({ c, fp }) => ({ claim_id: c.claim_id, fp })))],
      );
      out.interchanges.push({
        interchange_id: interchangeId,
        account_id: account,
        control_number: control,
        claims: items.map(({ c }) => c.claim_id),
      });
    }
    return out;
  });
}

/**
 * Writes the outbound interchanges not yet written (or those given) into `dir`, one file each
 * (`{receiver}_{ISA13}_{set}.x12`), and marks them written.
 */
export async function writeOutbound(
  db: Db,
  dir: string,
  opts: { setCode?: string; interchangeIds?: readonly string[] } = {},
): Promise<string[]> {
  requireRole(db.actor, ediRoles as never);
  fs.mkdirSync(dir, { recursive: true });
  return db.tx(async (tx) => {
    const { rows } = await tx.query<{
      interchange_id: string;
      receiver_id: string;
      control_number: string;
      set_codes: string[];
      content: string;
    }>(
      `select interchange_id, receiver_id, control_number, set_codes, content from edi_interchanges
       where direction = 'out' and ($1::text is null or $1 = any(set_codes))
         and (case when $2::uuid[] is null then status = 'ready' else interchange_id = any($2) end)
       order by created_at, control_number for update`,
      [opts.setCode ?? null, opts.interchangeIds ?? null],
    );
    const files: string[] = [];
    for (const r of rows) {
      const name = `${r.receiver_id.replace(/[^A-Za-z0-9._-]/g, '_')}_${r.control_number}_${r.set_codes.join('-')}.x12`;
      const file = path.join(dir, name);
      fs.writeFileSync(file, r.content);
      files.push(file);
    }
    if (rows.length > 0) {
      await tx.query(
        `update edi_interchanges set status = 'written', written_at = coalesce(written_at, now()) where interchange_id = any($1)`,
        [rows.map((r) => r.interchange_id)],
      );
    }
    return files;
  });
}

/** After every validation run and decision: the 849s whose answer changed, for partners that receive them. */
export const respondJob = defineJob<Record<string, never>>({
  name: 'edi.respond',
  schedule: '*/10 * * * *',
  expireInSeconds: 15 * 60,
  async handler({ db, log }) {
    const r = await respond849(db);
    if (r.claims > 0) log.info({ claims: r.claims, interchanges: r.interchanges.length }, '849s made');
    const memos = await (await import('./respond-812.ts')).respond812(db);
    if (memos.documents > 0) log.info({ credit_memos: memos.documents }, '812s made');
    return { claims: r.claims, credit_memos: memos.documents };
  },
});
