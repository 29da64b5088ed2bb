/**
 * One deduction with its evidence, as the desk works it: the account, the claims it names or settled (with
 * what is still unsettled of each), the suggestions for an unmatched one, the invoice it was taken from, the
 * payment and its remittance lines, the documents (the denial letter among them), the adjustments and the
 * timeline. Partners get their own deductions only, without the desk's notes, assignee or suggestions; a
 * deduction of another organisation is "not found", exactly like a missing id.
 */

import { today } from '../../core/dates.ts';
import { notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { isPartner } from '../identity/index.ts';
import { type DeductionFinding, findingWords } from './categories.ts';
import { type DeductionRow, dueSoonUntil, ownClaimIds, rowColumns } from './queries.ts';

export interface DeductionRecord extends DeductionRow {
  finding_words: string | null;
  /** Desk only. */
  finding_detail: string | null;
  queue_since: string | null;
  /** Who moved it to another queue than its category's (desk only). */
  queue_set_by: string | null;
  validated_at: Date | null;
  denied_by: string | null;
  /** Desk only. */
  resolution_note: string | null;
  adjustment_id: string | null;
}

export interface EvidenceClaim {
  claim_id: string;
  program_id: string;
  status: string;
  submitted_date: string;
  currency: string;
  approved_amount: string | null;
  deducted_amount: string;
  paid_amount: string;
  /** approved − deducted − paid, for a claim approved and waiting for payment; 0 otherwise. */
  unsettled_amount: string;
  /** Named in the deduction's reference (or remittance). */
  named: boolean;
  /** What this deduction settled of it (null: nothing). */
  settled_by_this: string | null;
}

export interface DeductionSettlement {
  claim_id: string;
  amount: string;
  settled_on: string;
  /** The credit memo that carried the rebate to the deduction item. */
  document_id: string;
  created_by: string | null;
  reversed_at: Date | null;
}

export interface DeductionSuggestion {
  claim_ids: string[];
  amount: string;
  score: string | number | null;
  claims: EvidenceClaim[];
}

export interface EvidenceDocument {
  document_id: string;
  type: string;
  document_date: string;
  due_date: string;
  currency: string;
  amount: string;
  open_amount: string;
  reference: string | null;
  po_number: string | null;
}

export interface EvidencePayment {
  payment_ref: string;
  amount: string;
  currency: string;
  value_date: string;
  payer_name: string | null;
  customer_reference: string | null;
  text: string;
  status: string;
}

export interface RemittanceLine {
  document_id: string;
  amount_paid: string | null;
  deduction_amount: string | null;
  reason_code: string | null;
  source: string;
}

export interface PaymentApplication {
  seq: number;
  document_id: string | null;
  amount: string;
  kind: 'invoice' | 'deduction' | 'on_account';
  reason_code: string | null;
  deduction_id: string | null;
  applied_date: string;
  reversed_at: Date | null;
}

export interface AttachedDocument {
  document_id: string;
  file_name: string;
  media_type: string;
  document_type: string | null;
  uploaded_by: string | null;
  uploaded_at: Date;
  denial_letter: boolean;
  /** Where to download it. */
  url: string;
}

export interface DeductionAdjustment {
  adjustment_id: string;
  kind: string;
  status: string;
  amount: string;
  currency: string;
  reason_code: string;
  requested_by_name: string;
  requested_at: Date;
  posted_on: string | null;
}

export interface TimelineEntry {
  /** A business date (`YYYY-MM-DD`) for dated facts, an ISO instant for recorded events. */
  at: string;
  kind: 'fact' | 'event';
  action: string;
  title: string;
  actor: string | null;
  /** The event's record after the change (desk only; null for facts). */
  detail: Record<string, unknown> | null;
}

export interface DeductionDetail {
  deduction: DeductionRecord;
  account: { account_id: string; name: string; country: string; currency: string; collector: string | null };
  claims: EvidenceClaim[];
  settlements: DeductionSettlement[];
  suggestions: DeductionSuggestion[];
  invoice: EvidenceDocument | null;
  /** The deduction item itself (an open receivable of type deduction). */
  item: EvidenceDocument | null;
  /** Desk only (null for partners): the bank credit, its remittance lines and what it was applied to. */
  payment: {
    credit: EvidencePayment | null;
    remittance: RemittanceLine[];
    applications: PaymentApplication[];
  } | null;
  documents: AttachedDocument[];
  adjustments: DeductionAdjustment[];
  timeline: TimelineEntry[];
  as_of: string;
}

const documentSql = `select d.document_id, d.type, d.document_date, d.due_date, d.currency, d.amount::text,
    (d.amount - coalesce((select sum(e.amount) from ar_application_entries e
      where e.document_id = d.document_id), 0))::numeric(18, 2)::text as open_amount, d.reference, d.po_number
  from ar_documents d`;

async function evidenceClaims(
  db: Db,
  accountId: string,
  claimIds: readonly string[],
  named: readonly string[],
  settled: readonly DeductionSettlement[],
): Promise<EvidenceClaim[]> {
  if (claimIds.length === 0) return [];
  const { rows } = await db.query<Omit<EvidenceClaim, 'named' | 'settled_by_this'>>(
    `select c.claim_id, c.program_id, c.status, c.submitted_date, c.currency,
       coalesce(s.approved_amount, l.approved)::text as approved_amount,
       coalesce(s.deducted_amount, 0)::text as deducted_amount, coalesce(s.paid_amount, 0)::text as paid_amount,
       case when c.status in ('approved', 'partially_approved') then greatest(coalesce(s.approved_amount,
         l.approved, 0) - coalesce(s.deducted_amount, 0) - coalesce(s.paid_amount, 0), 0) else 0 end::text
         as unsettled_amount
     from claims c
     left join claim_settlements s on s.account_id = c.account_id and s.claim_id = c.claim_id
     left join lateral (select sum(x.approved_amount) as approved from claim_lines x
       where x.account_id = c.account_id and x.claim_id = c.claim_id) l on true
     where c.account_id = $1 and c.claim_id = any($2::text[])
     order by c.submitted_date, c.claim_id`,
    [accountId, claimIds],
  );
  return rows.map((c) => {
    const own = settled.filter((s) => s.claim_id === c.claim_id && !s.reversed_at);
    return {
      ...c,
      named: named.includes(c.claim_id),
      settled_by_this: own.length ? own.map((s) => s.amount).join('+') : null,
    };
  });
}

/** One deduction with its evidence; 404 for an id the user may not see. */
export async function getDeduction(db: Db, deductionId: string): Promise<DeductionDetail> {
  const asOf = today();
  const partner = isPartner(db.actor.roles);
  const found = await db.query<DeductionRecord & { suggestions: unknown }>(
    `select ${rowColumns}, d.finding_detail, d.queue_since, d.queue_set_by, d.validated_at, d.denied_by,
       d.resolution_note, d.adjustment_id, d.suggestions, d.queue_set_at
     from deductions d left join accounts a on a.account_id = d.account_id
     where d.deduction_id = $3`,
    [asOf, dueSoonUntil(asOf), deductionId],
  );
  const row = found.rows[0];
  if (!row) throw notFound(`The deduction ${deductionId}`);
  const {
    suggestions: rawSuggestions,
    queue_set_at: queueSetAt,
    ...rest
  } = row as typeof row & {
    queue_set_at: Date | null;
  };
  const deduction: DeductionRecord = { ...rest, finding_words: null };

  const account = await db.query<DeductionDetail['account']>(
    `select account_id, name, country, currency, collector from accounts where account_id = $1`,
    [deduction.account_id],
  );
  const settlements = await db.query<DeductionSettlement>(
    `select claim_id, amount::text, settled_on, document_id, created_by, reversed_at from deduction_claims
     where account_id = $1 and deduction_id = $2 order by settled_on, claim_id`,
    [deduction.account_id, deductionId],
  );
  const suggestionSets = partner ? [] : parseSuggestions(rawSuggestions);
  const ids = [
    ...new Set([
      ...deduction.claim_ids,
      ...settlements.rows.map((s) => s.claim_id),
      ...suggestionSets.flatMap((s) => s.claim_ids),
    ]),
  ];
  const all = await evidenceClaims(db, deduction.account_id, ids, deduction.claim_ids, settlements.rows);
  const shown = new Set([...deduction.claim_ids, ...settlements.rows.map((s) => s.claim_id)]);
  const claims = all.filter((c) => shown.has(c.claim_id));
  const suggestions = suggestionSets.map((s) => ({
    ...s,
    claims: s.claim_ids.flatMap((id) => all.filter((c) => c.claim_id === id)),
  }));

  const documents = await db.query<EvidenceDocument>(`${documentSql} where d.document_id = any($1::text[])`, [
    [deduction.document_id, deductionId].filter(Boolean),
  ]);
  const invoice = documents.rows.find((d) => d.document_id === deduction.document_id) ?? null;
  const item = documents.rows.find((d) => d.document_id === deductionId && d.type === 'deduction') ?? null;

  const payment = partner ? null : await paymentEvidence(db, deduction);
  const attached = await attachedDocuments(db, deduction, partner);
  const adjustments = await db.query<DeductionAdjustment>(
    `select adjustment_id, kind, status, amount::text, currency, reason_code, requested_by_name, requested_at,
       posted_on
     from adjustments
     where (source_type = 'deduction' and source_id = $1 and account_id = $2) or adjustment_id = $3
     order by requested_at`,
    [deductionId, deduction.account_id, deduction.adjustment_id],
  );
  const events = partner
    ? []
    : (
        await db.query<{
          action: string;
          actor_name: string;
          occurred_at: Date;
          after: Record<string, unknown>;
        }>(
          `select action, actor_name, occurred_at, after from audit_events
           where entity_type = 'deduction' and entity_id = $1 and account_id = $2 order by event_id`,
          [deductionId, deduction.account_id],
        )
      ).rows;

  if (partner) {
    const own = await ownClaimIds(db, [deduction]);
    const named = deduction.claim_ids.filter((c) => own.has(c));
    Object.assign(deduction, {
      claim_ids: named,
      assignee: null,
      finding_detail: null,
      queue_set_by: null,
      denied_by: null,
      resolution_note: null,
      finding_words: deduction.finding
        ? deduction.finding === 'CLAIM_NOT_FOUND'
          ? // The ids not found are not the account's: the words name none of them.
            'We have no claim on your account that the deduction names.'
          : named.length
            ? findingWords(deduction.finding as DeductionFinding, named)
            : null
        : null,
    });
  } else if (deduction.finding) {
    deduction.finding_words = findingWords(deduction.finding as DeductionFinding, deduction.claim_ids);
  }

  return {
    deduction,
    account: account.rows[0]!,
    claims: partner
      ? claims.filter((c) => deduction.claim_ids.includes(c.claim_id) || c.settled_by_this)
      : claims,
    settlements: settlements.rows,
    suggestions,
    invoice,
    item,
    payment,
    documents: attached,
    adjustments: adjustments.rows,
    timeline: timeline(deduction, queueSetAt, settlements.rows, events, partner),
    as_of: asOf,
  };
}

function parseSuggestions(raw: unknown): Omit<DeductionSuggestion, 'claims'>[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((s) => {
    const o = s as { claim_ids?: unknown; amount?: unknown; score?: unknown };
    if (!Array.isArray(o.claim_ids)) return [];
    return [
      {
        claim_ids: o.claim_ids.map(String),
        amount: String(o.amount ?? ''),
        score: (o.score as string | number | undefined) ?? null,
      },
    ];
  });
}

async function paymentEvidence(db: Db, d: DeductionRecord): Promise<NonNullable<DeductionDetail['payment']>> {
  if (!d.payment_ref) return { credit: null, remittance: [], applications: [] };
  const credit = await db.query<EvidencePayment>(
    `select payment_ref, amount::text, currency, value_date, payer_name, customer_reference, text, status
     from bank_credits where payment_ref = $1`,
    [d.payment_ref],
  );
  const remittance = await db.query<RemittanceLine>(
    `select document_id, amount_paid::text, deduction_amount::text, reason_code, source
     from cash_remittances where payment_ref = $1 order by document_id`,
    [d.payment_ref],
  );
  const applications = await db.query<PaymentApplication>(
    `select seq, document_id, amount::text, kind, reason_code, deduction_id, applied_date, reversed_at
     from cash_applications where payment_ref = $1 order by seq`,
    [d.payment_ref],
  );
  return { credit: credit.rows[0] ?? null, remittance: remittance.rows, applications: applications.rows };
}

/** Documents linked to the deduction; partners get the denial letter only. */
async function attachedDocuments(db: Db, d: DeductionRecord, partner: boolean): Promise<AttachedDocument[]> {
  const { rows } = await db.query<Omit<AttachedDocument, 'url'>>(
    `select x.document_id::text, x.file_name, x.media_type, x.document_type, x.uploaded_by, x.uploaded_at,
       (x.document_id::text = $3) as denial_letter
     from documents x
     where x.account_id = $2 and (x.document_id::text = $3 or exists (select 1 from document_links l
       where l.account_id = x.account_id and l.document_id = x.document_id and l.entity_type = 'deduction'
         and l.entity_id = $1))
     order by x.uploaded_at, x.document_id`,
    [d.deduction_id, d.account_id, d.denial_document_id ?? ''],
  );
  return rows
    .filter((r) => !partner || r.denial_letter)
    .map((r) => ({ ...r, url: `/api/documents/${r.document_id}/content` }));
}

const factTitles: Record<string, string> = {
  taken: 'Deduction taken',
  validated: 'Validated',
  queue_set: 'Moved to another queue',
  settled: 'Claim settled',
  denied: 'Denied',
  payback_due: 'Payback due',
  escalated: 'Payback overdue: escalated',
  resolved: 'Resolved',
};

function timeline(
  d: DeductionRecord,
  queueSetAt: Date | null,
  settlements: readonly DeductionSettlement[],
  events: readonly {
    action: string;
    actor_name: string;
    occurred_at: Date;
    after: Record<string, unknown>;
  }[],
  partner: boolean,
): TimelineEntry[] {
  const fact = (at: string | Date | null, action: string, title?: string, actor?: string | null) =>
    at
      ? [
          {
            at: at instanceof Date ? at.toISOString() : at,
            kind: 'fact' as const,
            action,
            title: title ?? factTitles[action] ?? action,
            actor: actor ?? null,
            detail: null,
          },
        ]
      : [];
  const entries: TimelineEntry[] = [
    ...fact(d.deduction_date, 'taken', `Deduction taken (${d.source === 'cash' ? 'short pay' : 'imported'})`),
    ...(partner
      ? []
      : fact(d.validated_at, 'validated', d.validation ? `Validated: ${d.validation}` : undefined)),
    ...(partner ? [] : fact(queueSetAt, 'queue_set', `Moved to the ${d.queue} queue`, d.queue_set_by)),
    ...settlements.flatMap((s) => fact(s.settled_on, 'settled', `Claim ${s.claim_id} settled: ${s.amount}`)),
    ...fact(d.denied_on, 'denied', undefined, partner ? null : d.denied_by),
    ...fact(d.payback_due_date, 'payback_due'),
    ...(partner ? [] : fact(d.escalated_on, 'escalated')),
    ...fact(d.resolved_on, 'resolved', `Resolved: ${d.status.replace('_', ' ')}`),
    ...events.map((e) => ({
      at: e.occurred_at.toISOString(),
      kind: 'event' as const,
      action: e.action,
      title: e.action.replaceAll('_', ' '),
      actor: e.actor_name,
      detail: e.after,
    })),
  ];
  return entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
