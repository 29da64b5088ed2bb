/**
 * The interchange desk's reads and the trading partners: read under the caller's row security, so a partner
 * user sees its own organisation's interchanges and nothing else (another's is not found: 404).
 */
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { isPartner, requireRole } from '../identity/index.ts';
import { recordAudit } from '../platform/index.ts';

export interface InterchangeSummary {
  interchange_id: string;
  account_id: string;
  direction: 'in' | 'out';
  sender_id: string;
  receiver_id: string;
  control_number: string;
  usage: string;
  set_codes: string[];
  status: string;
  ack_status: string | null;
  ack_interchange_id: string | null;
  answers_interchange_id: string | null;
  duplicate_of: string | null;
  file_name: string | null;
  message: string;
  sets_total: number;
  sets_loaded: number;
  sets_refused: number;
  created_at: string;
  written_at: string | null;
}

export interface SetError {
  segment: number;
  set_segment: number;
  segment_id: string;
  element: string | null;
  value: string | null;
  reason: string;
}

export interface InterchangeSet {
  seq: number;
  set_code: string;
  control_number: string;
  functional_id: string;
  group_control: string;
  reference: string | null;
  status: string;
  template: string | null;
  rows: number;
  errors: SetError[];
}

export interface InterchangeDetail extends InterchangeSummary {
  sets: InterchangeSet[];
  content: string;
}

/** Who may read the desk: the company's EDI roles, and partner users (their own interchanges only). */
const readers = [
  'administrator',
  'rebate_analyst',
  'manager',
  'collector',
  'distribution',
  'credit',
] as const;
export const ediAdminRoles = ['administrator', 'rebate_analyst', 'manager'] as const;

function requireReader(db: Db): void {
  if (isPartner(db.actor.roles)) return;
  requireRole(db.actor, readers as never);
}

const summaryColumns = `i.interchange_id, i.account_id, i.direction, i.sender_id, i.receiver_id, i.control_number, i.usage,
  i.set_codes, i.status, i.ack_status, i.ack_interchange_id, i.answers_interchange_id, i.duplicate_of, i.file_name,
  i.message, i.created_at, i.written_at,
  (select count(*) from edi_sets s where s.interchange_id = i.interchange_id)::int as sets_total,
  (select count(*) from edi_sets s where s.interchange_id = i.interchange_id and s.status in ('loaded', 'sent'))::int as sets_loaded,
  (select count(*) from edi_sets s where s.interchange_id = i.interchange_id and s.status = 'refused')::int as sets_refused`;

function toSummary(r: Record<string, unknown>): InterchangeSummary {
  return {
    ...(r as unknown as InterchangeSummary),
    created_at: new Date(r.created_at as Date).toISOString(),
    written_at: r.written_at ? new Date(r.written_at as Date).toISOString() : null,
  };
}

export async function listInterchanges(
  db: Db,
  f: {
    direction?: string;
    status?: string;
    account_id?: string;
    set_code?: string;
    limit?: number;
    offset?: number;
  } = {},
): Promise<{ items: InterchangeSummary[]; total: number }> {
  requireReader(db);
  const where = `where ($1::text is null or i.direction = $1) and ($2::text is null or i.status = $2 or i.ack_status = $2)
    and ($3::text is null or i.account_id = $3) and ($4::text is null or $4 = any(i.set_codes))`;
  const params = [f.direction ?? null, f.status ?? null, f.account_id ?? null, f.set_code ?? null];
  const { rows } = await db.query(
    `select ${summaryColumns} from edi_interchanges i ${where} order by i.created_at desc, i.control_number desc limit $5 offset $6`,
    [...params, Math.min(f.limit ?? 100, 500), f.offset ?? 0],
  );
  const total = await db.query<{ n: number }>(
    `select count(*)::int as n from edi_interchanges i ${where}`,
    params,
  );
  return { items: rows.map(toSummary), total: total.rows[0]!.n };
}

export async function getInterchange(db: Db, interchangeId: string): Promise<InterchangeDetail> {
  requireReader(db);
  const { rows } = await db.query(
    `select ${summaryColumns}, i.content from edi_interchanges i where i.interchange_id::text = $1`,
    [interchangeId],
  );
  if (!rows[0]) throw new AppError('not_found', `There is no interchange ${interchangeId}.`);
  const sets = await db.query<InterchangeSet>(
    `select seq, set_code, control_number, functional_id, group_control, reference, status, template, rows, errors
     from edi_sets where interchange_id = $1 order by seq`,
    [rows[0].interchange_id],
  );
  return { ...toSummary(rows[0]), content: rows[0].content as string, sets: sets.rows };
}

/** An error of a set in words: where it is (segment number, segment and element) and why. */
export function errorInWords(e: SetError): string {
  const value = e.value ? ` "${e.value}"` : '';
  // A value that is missing has no segment of its own: the set is named by its ST.
  if (e.set_segment === 1 && e.segment_id !== 'ST') {
    return `set at segment ${e.segment}: ${e.element ?? e.segment_id} missing: ${e.reason}`;
  }
  return `segment ${e.segment} (${e.element ?? e.segment_id}, segment ${e.set_segment} of its set)${value}: ${e.reason}`;
}

// ---- trading partners ------------------------------------------------------------------------------------

export interface TradingPartner {
  account_id: string;
  account_name: string;
  isa_qualifier: string;
  isa_id: string;
  gs_id: string;
  sets_received: string[];
  sets_sent: string[];
  usage: 'test' | 'production';
  last_received_at: string | null;
  last_sent_at: string | null;
  refused_sets: number;
}

const partnerColumns = `t.account_id, a.name as account_name, t.isa_qualifier, t.isa_id, t.gs_id, t.sets_received, t.sets_sent,
  t.usage,
  (select max(created_at) from edi_interchanges i where i.account_id = t.account_id and i.direction = 'in') as last_received_at,
  (select max(created_at) from edi_interchanges i where i.account_id = t.account_id and i.direction = 'out'
     and not '997' = any(i.set_codes)) as last_sent_at,
  (select count(*) from edi_sets s where s.account_id = t.account_id and s.status = 'refused')::int as refused_sets`;

function toPartner(r: Record<string, unknown>): TradingPartner {
  const iso = (v: unknown) => (v ? new Date(v as Date).toISOString() : null);
  return {
    ...(r as unknown as TradingPartner),
    last_received_at: iso(r.last_received_at),
    last_sent_at: iso(r.last_sent_at),
  };
}

export async function listTradingPartners(db: Db): Promise<TradingPartner[]> {
  requireReader(db);
  const { rows } = await db.query(
    `select ${partnerColumns} from edi_trading_partners t join accounts a on a.account_id = t.account_id
     order by t.account_id collate "C"`,
  );
  return rows.map(toPartner);
}

/** The account's EDI status (null when it exchanges no EDI), for its account page. */
export async function tradingPartnerOf(db: Db, accountId: string): Promise<TradingPartner | null> {
  requireReader(db);
  const { rows } = await db.query(
    `select ${partnerColumns} from edi_trading_partners t join accounts a on a.account_id = t.account_id
     where t.account_id = $1`,
    [accountId],
  );
  return rows[0] ? toPartner(rows[0]) : null;
}

const knownSets = ['844', '849', '852', '867', '812', '820', '997'];
// 812 in sets_sent: credit memos go to the partner as 812s; in sets_received: its deductions come as 812s.

export interface TradingPartnerInput {
  account_id: string;
  isa_qualifier?: string;
  isa_id: string;
  gs_id?: string;
  sets_received?: string[];
  sets_sent?: string[];
  usage?: 'test' | 'production';
}

/** Creates or changes a trading partner (administrators and rebate managers); audited. */
export async function saveTradingPartner(db: Db, input: TradingPartnerInput): Promise<TradingPartner> {
  requireRole(db.actor, ediAdminRoles as never);
  const qualifier = (input.isa_qualifier ?? 'ZZ').trim().toUpperCase();
  const isa = input.isa_id.trim();
  const gs = (input.gs_id ?? isa).trim();
  if (!/^[0-9A-Z]{2}$/.test(qualifier))
    throw new AppError('validation_failed', 'isa_qualifier: two letters or digits (ZZ, 01, 12…).');
  for (const [name, v] of [
    ['isa_id', isa],
    ['gs_id', gs],
  ] as const) {
    if (!v || v.length > 15 || /[*~^>:|\\\s]/.test(v)) {
      throw new AppError('validation_failed', `${name}: 1 to 15 characters, no X12 delimiter or space.`);
    }
  }
  const sets = (list: string[] | undefined, fallback: string[]) => {
    const l = [...new Set((list ?? fallback).map((s) => s.trim()))];
    const bad = l.filter((s) => !knownSets.includes(s));
    if (bad.length > 0)
      throw new AppError(
        'validation_failed',
        `unknown transaction set ${bad.join(', ')}; use ${knownSets.join(', ')}.`,
      );
    return l;
  };
  const received = sets(input.sets_received, ['844']);
  const sent = sets(input.sets_sent, ['849']);
  const usage = input.usage ?? 'test';
  if (!['test', 'production'].includes(usage))
    throw new AppError('validation_failed', 'usage: test or production.');
  return db.tx(async (tx) => {
    const acc = await tx.query('select 1 from accounts where account_id = $1', [input.account_id]);
    if (acc.rowCount === 0) throw new AppError('not_found', `There is no account ${input.account_id}.`);
    const clash = await tx.query<{ account_id: string }>(
      `select account_id from edi_trading_partners where isa_qualifier = $1 and isa_id = $2 and account_id <> $3`,
      [qualifier, isa, input.account_id],
    );
    if (clash.rows[0]) {
      throw new AppError(
        'conflict',
        `ISA id ${qualifier}/${isa} is already account ${clash.rows[0].account_id}'s.`,
      );
    }
    const before = await tx.query(`select * from edi_trading_partners where account_id = $1`, [
      input.account_id,
    ]);
    await tx.query(
      `insert into edi_trading_partners (account_id, isa_qualifier, isa_id, gs_id, sets_received, sets_sent, usage)
       values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (account_id) do update set isa_qualifier = excluded.isa_qualifier, isa_id = excluded.isa_id,
         gs_id = excluded.gs_id, sets_received = excluded.sets_received, sets_sent = excluded.sets_sent,
         usage = excluded.usage, updated_at = now()`,
      [input.account_id, qualifier, isa, gs, received, sent, usage],
    );
    await recordAudit(tx, {
      entityType: 'edi_trading_partner',
      entityId: input.account_id,
      accountId: input.account_id,
      action: before.rows[0] ? 'updated' : 'created',
      before: before.rows[0] ?? null,
      after: {
        isa_qualifier: qualifier,
        isa_id: isa,
        gs_id: gs,
        sets_received: received,
        sets_sent: sent,
        usage,
      },
    });
    return (await tradingPartnerOf(tx, input.account_id))!;
  });
}
