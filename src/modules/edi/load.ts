/**
 * Inbound X12: an interchange's transaction sets are read by the implementation guide of their set (guides/)
 * into the rows of the template they stand for (844 → claims.csv, 867 → sell_out.csv, 852 → inventory.csv,
 * 812 → deductions.csv) and loaded by the import engine exactly as those rows in a CSV would be; 820s go to
 * cash application's reader. A set that is broken — its envelope, its guide, or a check of its template — is
 * refused whole, with the segment and element, and the other sets still load. Every functional group is
 * answered by a 997, stored as an outbound interchange. An interchange seen before (same sender, same ISA13)
 * is recorded as a duplicate and not loaded again.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../db/db.ts';
import {
  checkedTextOf,
  FileProblem,
  findTemplate,
  type ImportIssue,
  type LoadCounts,
  loadTabular,
  Refused,
  requireImportRights,
  type TableTemplate,
} from '../imports/index.ts';
import {
  element,
  parseInterchange,
  type SetOut,
  splitInterchanges,
  writeInterchange,
  X12Error,
  type X12Interchange,
  type X12TransactionSet,
} from '../x12/index.ts';
import { ack997, type SetOutcome } from './ack997.ts';
import { read844 } from './guides/claims-844.ts';
import { read812 } from './guides/deductions-812.ts';
import { read852 } from './guides/inventory-852.ts';
import { read867 } from './guides/sell-out-867.ts';
import type { GuideRow, ReadSet, SetProblem, Where } from './guides/types.ts';
import { nextControlNumber, ourIdentity } from './identity.ts';

/** The template each inbound set loads into, and its guide. */
export const inboundRoutes: Record<
  string,
  { template: string; label: string; read: (set: X12TransactionSet) => ReadSet }
> = {
  '844': { template: 'claims', label: 'claim', read: read844 },
  '867': { template: 'sell_out', label: 'sell-out report', read: read867 },
  '852': { template: 'inventory', label: 'inventory report', read: read852 },
  '812': { template: 'deductions', label: 'deduction', read: read812 },
};

const setNames: Record<string, string> = {
  '810': 'invoice',
  '820': 'remittance',
  '849': 'claim response',
  '997': 'functional acknowledgment',
  '850': 'purchase order',
  '856': 'ship notice',
};

export interface SubLoad {
  kind: string;
  counts: LoadCounts;
  rowsTotal: number;
  accounts: string[];
}

export interface X12LoadResult {
  counts: LoadCounts;
  rowsTotal: number;
  issues: ImportIssue[];
  message: string;
  loaded: SubLoad[];
  interchanges: string[];
}

interface SetState {
  /** The interchange it came in (its text for 820s and the values as written). */
  x: X12Interchange;
  content: string;
  seq: number;
  set: X12TransactionSet;
  status: 'loaded' | 'refused' | 'ignored';
  template: string | null;
  reference: string | null;
  rows: GuideRow[];
  errors: SetProblem[];
  countError: boolean;
}

const zero = (): LoadCounts => ({ inserted: 0, updated: 0, unchanged: 0 });
const add = (a: LoadCounts, b: LoadCounts) => {
  a.inserted += b.inserted;
  a.updated += b.updated;
  a.unchanged += b.unchanged;
};

/** The import engine's loader for X12 files (template `x12`). */
export async function loadX12File(
  tx: Db,
  file: { path: string; fileName: string; sha256: string; importId?: string },
): Promise<X12LoadResult> {
  const result: X12LoadResult = {
    counts: zero(),
    rowsTotal: 0,
    issues: [],
    message: '',
    loaded: [],
    interchanges: [],
  };
  const messages: string[] = [];
  let text: string;
  try {
    // The same text checks as every file (UTF-8, or UTF-16 with a byte-order mark; no NUL).
    text = checkedTextOf(fs.readFileSync(file.path));
  } catch (e) {
    if (!(e instanceof FileProblem)) throw e;
    return { ...result, issues: [{ line: e.line, column: e.column, value: null, reason: e.reason }] };
  }
  let pieces: string[];
  try {
    pieces = splitInterchanges(text);
  } catch (e) {
    if (!(e instanceof X12Error)) throw e;
    return {
      ...result,
      issues: [{ line: e.segment || null, column: 'segment', value: null, reason: e.reason }],
    };
  }
  const received: { x: X12Interchange; content: string; where: string }[] = [];
  for (const [i, piece] of pieces.entries()) {
    const where = pieces.length > 1 ? `interchange ${i + 1}: ` : '';
    try {
      received.push({ x: parseInterchange(piece, { lenient: true }), content: piece, where });
    } catch (e) {
      if (!(e instanceof X12Error)) throw e;
      result.issues.push({
        line: e.segment || null,
        column: 'segment',
        value: null,
        reason: `${where}${e.reason}`,
      });
    }
  }
  const done = await receiveInterchanges(tx, received, {
    fileName: file.fileName,
    importId: file.importId ?? null,
  });
  add(result.counts, done.counts);
  result.rowsTotal = done.rowsTotal;
  result.loaded = done.loaded;
  for (const [i, r] of done.results.entries()) {
    result.interchanges.push(r.interchangeId);
    messages.push(`${received[i]!.where}${r.message}`);
  }
  // Only a file none of whose interchanges could be read is refused as a whole.
  if (result.interchanges.length > 0) {
    messages.push(...result.issues.map((i) => `refused: segment ${i.line}: ${i.reason}`));
    result.issues = [];
  }
  result.message = messages.join(' ');
  return result;
}

async function tradingPartnerOf(tx: Db, qualifier: string, id: string): Promise<string | null> {
  const { rows } = await tx.query<{ account_id: string }>(
    `select account_id from edi_trading_partners where isa_id = $2 and (isa_qualifier = $1 or $1 = '')`,
    [qualifier, id],
  );
  return rows[0]?.account_id ?? null;
}

interface Meta {
  fileName: string | null;
  importId: string | null;
}

async function recordInbound(
  tx: Db,
  x: X12Interchange,
  content: string,
  meta: Meta,
  r: { accountId: string; status: string; duplicateOf: string | null; message: string },
): Promise<string> {
  const { rows } = await tx.query<{ interchange_id: string }>(
    `insert into edi_interchanges (account_id, direction, sender_qualifier, sender_id, receiver_qualifier, receiver_id,
       control_number, usage, set_codes, status, duplicate_of, file_name, import_id, content, message)
     values ($1, 'in', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) returning interchange_id`,
    [
      r.accountId,
      x.senderQualifier,
      x.sender,
      x.receiverQualifier,
      x.receiver,
      x.control,
      x.usage || 'P',
      [...new Set(x.sets.map((s) => s.code))],
      r.status,
      r.duplicateOf,
      meta.fileName,
      meta.importId,
      content,
      r.message,
    ],
  );
  return rows[0]!.interchange_id;
}

/**
 * Records and loads parsed inbound interchanges (those of one file): duplicates are recorded and skipped; the
 * sets of the others are read, loaded together per template, recorded with their outcome, and each
 * interchange is answered with a 997.
 */
export async function receiveInterchanges(
  tx: Db,
  received: { x: X12Interchange; content: string }[],
  meta: Meta,
): Promise<{
  results: { interchangeId: string; message: string }[];
  counts: LoadCounts;
  rowsTotal: number;
  loaded: SubLoad[];
}> {
  const results: { interchangeId: string; message: string }[] = [];
  const pending: {
    x: X12Interchange;
    content: string;
    partner: string | null;
    states: SetState[];
    at: number;
  }[] = [];
  const seen = new Set<string>();
  for (const { x, content } of received) {
    const partner = await tradingPartnerOf(tx, x.senderQualifier, x.sender);
    const key = `${x.senderQualifier}:${x.sender}:${x.control}`;
    // Two loads of the same interchange at once: the second waits, then finds the first.
    await tx.query(`select pg_advisory_xact_lock(hashtext('clearhouse.edi.in.' || $1))`, [key]);
    const earlier = await tx.query<{ interchange_id: string; created_at: Date }>(
      `select interchange_id, created_at from edi_interchanges
       where direction = 'in' and status <> 'duplicate' and sender_qualifier = $1 and sender_id = $2 and control_number = $3`,
      [x.senderQualifier, x.sender, x.control],
    );
    const first = earlier.rows[0];
    if (first || seen.has(key)) {
      const when = first ? ` (${first.created_at.toISOString().slice(0, 10)})` : ' earlier in this file';
      const message = `interchange ${x.control} from ${x.sender} was received before${when}: a duplicate, not loaded again.`;
      results.push({
        interchangeId: await recordInbound(tx, x, content, meta, {
          accountId: partner ?? '',
          status: 'duplicate',
          duplicateOf: first?.interchange_id ?? null,
          message,
        }),
        message,
      });
      continue;
    }
    seen.add(key);
    results.push({ interchangeId: '', message: '' });
    pending.push({
      x,
      content,
      partner,
      states: readSets(tx, x, content, partner, null),
      at: results.length - 1,
    });
  }
  const done = await loadStates(
    tx,
    pending.flatMap((p) => p.states),
  );
  for (const p of pending) {
    const accounts = new Set(p.states.flatMap((s) => s.rows.map((r) => r.values.account_id).filter(Boolean)));
    const accountId = p.partner ?? (accounts.size === 1 ? [...accounts][0]! : '');
    const message = describe(p.x, p.states);
    const interchangeId = await recordInbound(tx, p.x, p.content, meta, {
      accountId,
      status: interchangeStatus({ states: p.states }),
      duplicateOf: null,
      message,
    });
    await storeSets(tx, accountId, interchangeId, p.states);
    await acknowledge(tx, accountId, interchangeId, p.x, p.states);
    results[p.at] = { interchangeId, message };
  }
  return { results, ...done };
}

function interchangeStatus(s: { states: SetState[] }): 'loaded' | 'partial' | 'refused' {
  const loaded = s.states.filter((x) => x.status === 'loaded').length;
  return loaded === s.states.length ? 'loaded' : loaded === 0 ? 'refused' : 'partial';
}

function describe(x: X12Interchange, states: SetState[]): string {
  const parts: string[] = [];
  for (const code of [...new Set(states.map((s) => s.set.code))]) {
    const mine = states.filter((s) => s.set.code === code);
    const n = (st: string) => mine.filter((s) => s.status === st).length;
    const bits = [
      n('loaded') ? `${n('loaded')} loaded` : '',
      n('refused') ? `${n('refused')} refused` : '',
      n('ignored')
        ? `${n('ignored')} not read (Clearhouse does not read ${code}${setNames[code] ? ` ${setNames[code]}s` : ''})`
        : '',
    ].filter(Boolean);
    parts.push(`${code}: ${mine.length} set(s), ${bits.join(', ')}`);
  }
  return `interchange ${x.control} from ${x.sender}: ${parts.join('; ') || 'no transaction sets'}.`;
}

const refuse = (s: SetState, problems: SetProblem[]) => {
  s.status = 'refused';
  s.errors.push(...problems);
};

/**
 * Reads every set of an interchange (or only `only`, by sequence number, when reprocessing) with its guide
 * into template rows, refusing those that cannot be read or name another partner.
 */
function readSets(
  tx: Db,
  x: X12Interchange,
  content: string,
  partner: string | null,
  only: Set<number> | null,
): SetState[] {
  const states: SetState[] = x.sets.map((set, i) => ({
    x,
    content,
    seq: i + 1,
    set,
    status: 'loaded',
    template: null,
    reference: null,
    rows: [],
    errors: [],
    countError: false,
  }));
  const start = (s: SetState) => ({ position: s.set.position, setPosition: 1, segment: 'ST', element: null });
  const active = states.filter((s) => !only || only.has(s.seq));
  for (const s of active) {
    if (s.set.error) {
      s.countError = true;
      refuse(s, [
        {
          position: s.set.error.segment,
          setPosition: s.set.segments.length + 2,
          segment: 'SE',
          element: 'SE01',
          value: null,
          reason: s.set.error.reason,
        },
      ]);
      continue;
    }
    const route = inboundRoutes[s.set.code];
    if (!route && s.set.code !== '820') {
      s.status = 'ignored';
      s.errors.push({
        ...start(s),
        value: s.set.code,
        reason: `Clearhouse does not read ${s.set.code}${setNames[s.set.code] ? ` (${setNames[s.set.code]})` : ''} transaction sets`,
      });
      continue;
    }
    s.template = route ? route.template : 'bank_file';
    const tpl = findTemplate(s.template);
    try {
      if (tpl) requireImportRights(tx, tpl);
    } catch (e) {
      refuse(s, [{ ...start(s), value: null, reason: (e as Error).message }]);
      continue;
    }
    if (!route) continue; // an 820: cash application's reader takes the whole interchange's 820s
    const read = route.read(s.set);
    s.reference = read.reference;
    s.rows = read.rows;
    if (read.problems.length > 0) {
      refuse(s, read.problems);
      continue;
    }
    for (const row of read.rows) {
      if (row.values.account_id) continue;
      if (partner) row.values.account_id = partner;
      row.where.account_id ??= { ...start(s), segment: 'N1', element: 'N104' };
    }
    const nameless = read.rows.find((r) => !r.values.account_id);
    if (nameless) {
      refuse(s, [
        {
          ...nameless.where.account_id!,
          value: null,
          reason: `no N1 (N103 91, N104 the account id) names the partner, and the sender ${x.sender} is not a trading partner`,
        },
      ]);
      continue;
    }
    if (partner) {
      const other = read.rows.find((r) => r.values.account_id && r.values.account_id !== partner);
      if (other) {
        refuse(s, [
          {
            ...(other.where.account_id ?? other.fallback),
            value: other.values.account_id!,
            reason: `names account ${other.values.account_id}, but the interchange comes from trading partner ${partner}`,
          },
        ]);
      }
    }
  }

  return active;
}

/**
 * Loads the rows of the readable sets — of one interchange or of a whole file — one template at a time, all
 * sets together: a set whose rows the checks refuse is refused alone and the others are loaded again without
 * it. The 820s of each interchange go to cash application's reader.
 */
async function loadStates(
  tx: Db,
  active: SetState[],
): Promise<{ counts: LoadCounts; rowsTotal: number; loaded: SubLoad[] }> {
  const counts = zero();
  let rowsTotal = 0;
  const loaded: SubLoad[] = [];
  for (const kind of [
    ...new Set(
      active.filter((s) => s.status === 'loaded' && s.template !== 'bank_file').map((s) => s.template!),
    ),
  ]) {
    const tpl = findTemplate(kind) as TableTemplate;
    const raw = (st: SetState, w: Where) => {
      const seg = st.x.segments[w.position - 1];
      return seg && w.element ? element(seg, Number(w.element.slice(-2))) || null : null;
    };
    const done = await loadTemplateRows(
      tx,
      tpl,
      active.filter((s) => s.status === 'loaded' && s.template === kind),
      refuse,
      raw,
    );
    if (done) {
      add(counts, done.counts);
      rowsTotal += done.rowsTotal;
      loaded.push({ kind, ...done });
    }
  }
  const remittances = active.filter((s) => s.status === 'loaded' && s.template === 'bank_file');
  for (const x of new Set(remittances.map((s) => s.x))) {
    const mine = remittances.filter((s) => s.x === x);
    const done = await loadRemittances(tx, mine[0]!.content, mine, refuse);
    if (done) {
      add(counts, done.counts);
      rowsTotal += done.rowsTotal;
      loaded.push({ kind: 'bank_file', ...done, accounts: [] });
    }
  }
  return { counts, rowsTotal, loaded };
}

/** Reads and loads the sets of one interchange (reprocessing). */
export async function loadSets(
  tx: Db,
  x: X12Interchange,
  content: string,
  partner: string | null,
  only: Set<number> | null,
): Promise<{ states: SetState[]; counts: LoadCounts; rowsTotal: number; loaded: SubLoad[] }> {
  const states = readSets(tx, x, content, partner, only);
  return { states, ...(await loadStates(tx, states)) };
}

/** Loads the rows of some sets into one template, dropping the sets whose rows the checks refuse. */
async function loadTemplateRows(
  tx: Db,
  tpl: TableTemplate,
  sets: SetState[],
  refuse: (s: SetState, problems: SetProblem[]) => void,
  raw: (s: SetState, w: Where) => string | null,
): Promise<{ counts: LoadCounts; rowsTotal: number; accounts: string[] } | null> {
  let remaining = sets.filter((s) => s.rows.length > 0);
  const known = new Set(tpl.columns.map((c) => c.name));
  while (remaining.length > 0) {
    const entries = remaining.flatMap((s) => s.rows.map((row) => ({ s, row })));
    const header = [...new Set(entries.flatMap((e) => Object.keys(e.row.values)))].filter((c) =>
      known.has(c),
    );
    const records = entries.map((e, i) => [String(i + 1), ...header.map((c) => e.row.values[c] ?? '')]);
    await tx.query('savepoint edi_sets');
    try {
      const done = await loadTabular(
        tx,
        tpl,
        { header, body: Readable.from([Buffer.from(stringify(records))]), numbered: true },
        undefined,
        { drafts: false },
      );
      await tx.query('release savepoint edi_sets');
      return done;
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
      await tx.query('rollback to savepoint edi_sets');
      const bad = new Set<SetState>();
      for (const issue of err.issues) {
        const entry = issue.line !== null ? entries[issue.line - 1] : undefined;
        if (!entry) {
          for (const s of remaining) {
            refuse(s, [
              {
                position: s.set.position,
                setPosition: 1,
                segment: 'ST',
                element: null,
                value: issue.value,
                reason: issue.reason,
              },
            ]);
            bad.add(s);
          }
          continue;
        }
        const where = (issue.column && entry.row.where[issue.column]) || entry.row.fallback;
        const written = issue.column && entry.row.where[issue.column] ? raw(entry.s, where) : null;
        refuse(entry.s, [
          {
            ...where,
            value: written ?? issue.value,
            reason: `${issue.column ? `${issue.column} ` : ''}${issue.reason}`.replace(
              /line (\d+)/g,
              (m, n) => {
                const other = entries[Number(n) - 1];
                return other ? `set ${other.s.set.control}` : m;
              },
            ),
          },
        ]);
        bad.add(entry.s);
      }
      if (bad.size === 0) throw err;
      remaining = remaining.filter((s) => !bad.has(s));
    }
  }
  return null;
}

/** The 820s of an interchange, through cash application's reader: loaded together or refused together. */
async function loadRemittances(
  tx: Db,
  content: string,
  sets: SetState[],
  refuse: (s: SetState, problems: SetProblem[]) => void,
): Promise<{ counts: LoadCounts; rowsTotal: number } | null> {
  const { loadParsedBankFile, parseX12820 } = await import('../cash/index.ts');
  await tx.query('savepoint edi_820');
  try {
    const parsed = parseX12820(Buffer.from(content));
    const sha256 = createHash('sha256').update(content).digest('hex');
    const done = await loadParsedBankFile(tx, parsed, { fileName: 'x12-820', sha256 });
    if (done.issues.length > 0) {
      await tx.query('rollback to savepoint edi_820');
      for (const s of sets) {
        refuse(
          s,
          done.issues.map((i) => ({
            position: i.line ?? s.set.position,
            setPosition: (i.line ?? s.set.position) - s.set.position + 1,
            segment: 'BPR',
            element: null,
            value: i.value,
            reason: i.reason,
          })),
        );
      }
      return null;
    }
    await tx.query('release savepoint edi_820');
    for (const s of sets)
      s.reference = s.set.segments.find((g) => g.id === 'TRN')?.elements[1]?.trim() ?? null;
    return { counts: done.counts, rowsTotal: done.rowsTotal };
  } catch (e) {
    await tx.query('rollback to savepoint edi_820');
    const b = e as { name?: string; record?: number; reason?: string; field?: string };
    if (b.name !== 'BankFileError') throw e;
    for (const s of sets) {
      const position = b.record || s.set.position;
      refuse(s, [
        {
          position,
          setPosition: position - s.set.position + 1,
          segment: 'BPR',
          element: b.field && /^[A-Z0-9]{2,3}\d{2}/.test(b.field) ? b.field.slice(0, 5) : null,
          value: null,
          reason: b.reason ?? String(e),
        },
      ]);
    }
    return null;
  }
}

async function storeSets(
  tx: Db,
  accountId: string,
  interchangeId: string,
  states: SetState[],
): Promise<void> {
  await tx.query(
    `insert into edi_sets (account_id, interchange_id, seq, group_control, functional_id, set_code, control_number,
       position, reference, status, template, rows, errors)
     select $1, $2, s.seq, s.group_control, s.functional_id, s.set_code, s.control_number, s.position, s.reference,
       s.status, s.template, s.rows, s.errors
     from jsonb_to_recordset($3::jsonb) as s(seq int, group_control text, functional_id text, set_code text,
       control_number text, position int, reference text, status text, template text, rows int, errors jsonb)
     on conflict (account_id, interchange_id, seq) do update set reference = excluded.reference,
       status = excluded.status, rows = excluded.rows, errors = excluded.errors, updated_at = now()`,
    [accountId, interchangeId, JSON.stringify(states.map(setRecord))],
  );
}

function setRecord(s: SetState) {
  return {
    seq: s.seq,
    group_control: s.set.groupControl,
    functional_id: s.set.functionalId,
    set_code: s.set.code,
    control_number: s.set.control,
    position: s.set.position,
    reference: s.reference,
    status: s.status,
    template: s.template,
    rows: s.status === 'loaded' ? s.rows.length : 0,
    errors: s.errors.map((e) => ({
      segment: e.position,
      set_segment: e.setPosition,
      segment_id: e.segment,
      element: e.element,
      value: e.value,
      reason: e.reason,
    })),
  };
}

/** The 997s of an inbound interchange (one per functional group), stored as one outbound interchange. */
async function acknowledge(
  tx: Db,
  accountId: string,
  interchangeId: string,
  x: X12Interchange,
  states: SetState[],
): Promise<void> {
  const outcomes: SetOutcome[] = states.map((s) => ({
    code: s.set.code,
    control: s.set.control,
    groupControl: s.set.groupControl,
    status: s.status,
    countError: s.countError,
    errors: s.errors,
  }));
  const me = ourIdentity();
  const control = await nextControlNumber(tx, x.senderQualifier, x.sender);
  const sets: SetOut[] = [];
  let accepted = 0;
  let rejected = 0;
  for (const g of x.groups) {
    const ack = ack997(g, outcomes);
    if (ack.status === 'accepted') accepted++;
    if (ack.status === 'rejected') rejected++;
    sets.push({ code: '997', segments: ack.segments });
  }
  const ackStatus =
    rejected === x.groups.length && x.groups.length > 0
      ? 'rejected'
      : accepted === x.groups.length
        ? 'accepted'
        : 'partial';
  const text = writeInterchange({
    senderQualifier: me.qualifier,
    senderId: me.id,
    receiverQualifier: x.senderQualifier || 'ZZ',
    receiverId: x.sender,
    control,
    usage: x.usage === 'T' ? 'T' : 'P',
    groups: [
      {
        functionalId: 'FA',
        senderId: me.id,
        receiverId: x.groups[0]?.sender || x.sender,
        control: String(Number(control)),
        sets,
      },
    ],
  });
  const { rows } = await tx.query<{ interchange_id: string }>(
    `insert into edi_interchanges (account_id, direction, sender_qualifier, sender_id, receiver_qualifier, receiver_id,
       control_number, usage, set_codes, status, answers_interchange_id, ack_status, content, message)
     values ($1, 'out', $2, $3, $4, $5, $6, $7, '{997}', 'ready', $8, $9, $10, $11) returning interchange_id`,
    [
      accountId,
      me.qualifier,
      me.id,
      x.senderQualifier || 'ZZ',
      x.sender,
      control,
      x.usage === 'T' ? 'T' : 'P',
      interchangeId,
      ackStatus,
      text,
      `997 for interchange ${x.control}: ${ackStatus}`,
    ],
  );
  await tx.query(
    `update edi_interchanges set ack_interchange_id = $2, ack_status = $3 where interchange_id = $1`,
    [interchangeId, rows[0]!.interchange_id, ackStatus],
  );
}

/**
 * Loads the refused sets of an inbound interchange again (after the master data or the partner's setup was
 * fixed), records what became of them and answers with a new 997.
 */
export async function reprocessInterchange(
  tx: Db,
  interchangeId: string,
): Promise<{ loaded: SubLoad[]; message: string; status: string }> {
  const { rows } = await tx.query<{ account_id: string; content: string; direction: string; status: string }>(
    `select account_id, content, direction, status from edi_interchanges where interchange_id = $1 for update`,
    [interchangeId],
  );
  const row = rows[0];
  const { AppError } = await import('../../core/errors.ts');
  if (!row) throw new AppError('not_found', `There is no interchange ${interchangeId}.`);
  if (row.direction !== 'in' || row.status === 'duplicate') {
    throw new AppError(
      'validation_failed',
      'Only an inbound interchange (not a duplicate) can be reprocessed.',
    );
  }
  const x = parseInterchange(row.content, { lenient: true });
  const refused = await tx.query<{ seq: number }>(
    `select seq from edi_sets where interchange_id = $1 and status = 'refused' order by seq`,
    [interchangeId],
  );
  if (refused.rows.length === 0) {
    return { loaded: [], message: 'Nothing to reprocess: every set was loaded.', status: row.status };
  }
  const partner = await tradingPartnerOf(tx, x.senderQualifier, x.sender);
  const done = await loadSets(tx, x, row.content, partner, new Set(refused.rows.map((r) => r.seq)));
  await storeSets(tx, row.account_id, interchangeId, done.states);
  const all = await tx.query<{ status: string }>(`select status from edi_sets where interchange_id = $1`, [
    interchangeId,
  ]);
  const loadedNow = all.rows.filter((r) => r.status === 'loaded').length;
  const status = loadedNow === all.rows.length ? 'loaded' : loadedNow === 0 ? 'refused' : 'partial';
  const fixed = done.states.filter((s) => s.status === 'loaded').length;
  const message = `reprocessed ${done.states.length} refused set(s): ${fixed} loaded, ${done.states.length - fixed} still refused.`;
  await tx.query(
    `update edi_interchanges set status = $2, message = message || ' ' || $3 where interchange_id = $1`,
    [interchangeId, status, message],
  );
  // The new 997 acknowledges every set as it stands now.
  const states = await tx.query<{
    seq: number;
    status: SetState['status'];
    errors: {
      set_segment: number;
      segment_id: string;
      element: string | null;
      value: string | null;
      reason: string;
      segment: number;
    }[];
  }>(`select seq, status, errors from edi_sets where interchange_id = $1 order by seq`, [interchangeId]);
  const current: SetState[] = states.rows.map((r) => ({
    x,
    content: row.content,
    seq: r.seq,
    set: x.sets[r.seq - 1]!,
    status: r.status,
    template: null,
    reference: null,
    rows: [],
    countError: Boolean(x.sets[r.seq - 1]?.error),
    errors: r.errors.map((e) => ({
      position: e.segment,
      setPosition: e.set_segment,
      segment: e.segment_id,
      element: e.element,
      value: e.value,
      reason: e.reason,
    })),
  }));
  await acknowledge(tx, row.account_id, interchangeId, x, current);
  return { loaded: done.loaded, message, status };
}

/** Reprocessing as a use case: the desk's roles (never a partner), then the work the loaded rows ask for. */
export async function reprocess(
  db: Db,
  interchangeId: string,
): Promise<{ loaded: SubLoad[]; message: string; status: string }> {
  const { requireRole } = await import('../identity/index.ts');
  const { afterLoad } = await import('../imports/index.ts');
  requireRole(db.actor, [
    'administrator',
    'rebate_analyst',
    'manager',
    'distribution',
    'collector',
    'credit',
  ]);
  if (!/^[0-9a-f-]{36}$/i.test(interchangeId)) {
    const { AppError } = await import('../../core/errors.ts');
    throw new AppError('not_found', `There is no interchange ${interchangeId}.`);
  }
  const r = await db.tx((tx) => reprocessInterchange(tx, interchangeId));
  for (const sub of r.loaded) {
    const t = findTemplate(sub.kind);
    if (t) await afterLoad(db, t, sub, { drafts: false });
  }
  return r;
}
