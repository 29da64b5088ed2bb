/**
 * A request to change what a customer owes (CONTROLS.md): a credit adjustment, rebill or debit adjustment
 * on one document, or a write-off or absorption worksheet of one or more documents. It is stored with its
 * lines and waits for approval through the approvals module; nothing is posted until it is approved.
 */
import { AppError, type FieldIssue } from '../../core/errors.ts';
import { formatAmount, Money } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import { openApprovalRequest } from '../approvals/index.ts';
import { requireRole } from '../identity/index.ts';
import { recordAuditMany } from '../platform/index.ts';
import { type AdjustmentDetail, getAdjustment } from './adjustment-queries.ts';
import { documentsToAdjust, kindLabels } from './documents.ts';
import { adjustmentRequesters } from './roles.ts';
import { type AdjustmentInput, adjustmentInput, worksheetKinds } from './schemas.ts';

export const adjustmentSubject = 'adjustment';

function fail(issues: FieldIssue[]): never {
  throw new AppError('validation_failed', issues.map((i) => `${i.field}: ${i.message}`).join('; '), {
    issues,
  });
}

export async function requestAdjustment(db: Db, raw: AdjustmentInput): Promise<AdjustmentDetail> {
  requireRole(db.actor, adjustmentRequesters);
  const input = adjustmentInput.parse(raw);
  const worksheet = input.lines !== undefined;
  if (worksheet && !worksheetKinds.includes(input.kind))
    fail([
      { field: 'lines', message: `only write-offs and absorptions take several lines, not ${input.kind}` },
    ]);
  if (worksheet && (input.document_id || input.amount))
    fail([{ field: 'document_id', message: 'give either document_id and amount, or lines' }]);
  if (!worksheet && !input.document_id) fail([{ field: 'document_id', message: 'required' }]);
  if (!worksheet && input.kind !== 'rebill' && !input.amount)
    fail([{ field: 'amount', message: 'required' }]);
  if (input.kind === 'rebill' && !input.corrected_amount)
    fail([{ field: 'corrected_amount', message: 'a rebill needs the corrected invoice’s amount' }]);
  if (input.kind !== 'rebill' && input.corrected_amount)
    fail([{ field: 'corrected_amount', message: 'only for a rebill' }]);
  const wanted = worksheet
    ? input.lines!.map((l, i) => ({ field: `lines.${i}`, document_id: l.document_id, amount: l.amount }))
    : [{ field: '', document_id: input.document_id!, amount: input.amount ?? null }];

  return db.tx(async (tx) => {
    const { rows: reasons } = await tx.query<{ kinds: string[]; active: boolean }>(
      'select kinds, active from adjustment_reasons where reason_code = $1',
      [input.reason_code],
    );
    const reason = reasons[0];
    if (!reason) fail([{ field: 'reason_code', message: `${input.reason_code} is not a reason code` }]);
    if (!reason.active) fail([{ field: 'reason_code', message: `${input.reason_code} is no longer in use` }]);
    if (!reason.kinds.includes(input.kind))
      fail([
        {
          field: 'reason_code',
          message: `${input.reason_code} is for ${reason.kinds.join(', ')}, not ${input.kind}`,
        },
      ]);

    const docs = await documentsToAdjust(
      tx,
      wanted.map((w) => w.document_id),
    );
    const issues: FieldIssue[] = [];
    const seen = new Set<string>();
    const lines: { account_id: string; document_id: string; amount: string }[] = [];
    let currency: string | null = null;
    for (const w of wanted) {
      const f = (name: string) => (w.field ? `${w.field}.${name}` : name);
      const d = docs.get(w.document_id);
      if (!d) {
        issues.push({ field: f('document_id'), message: `${w.document_id} is not a document you can see` });
        continue;
      }
      if (seen.has(w.document_id)) {
        issues.push({ field: f('document_id'), message: `${w.document_id} is on the worksheet twice` });
        continue;
      }
      seen.add(w.document_id);
      if (d.type === 'credit_memo') {
        issues.push({
          field: f('document_id'),
          message: `${w.document_id} is a credit memo: adjust the document it credits`,
        });
        continue;
      }
      if (currency && d.currency !== currency) {
        issues.push({
          field: f('document_id'),
          message: `${w.document_id} is in ${d.currency}, the worksheet in ${currency}`,
        });
        continue;
      }
      currency ??= d.currency;
      const open = new Money(d.open_amount);
      const amount = input.kind === 'rebill' ? open : new Money(w.amount!);
      if (input.kind === 'rebill' && open.lte(0)) {
        issues.push({ field: f('document_id'), message: `${w.document_id} has nothing open to rebill` });
        continue;
      }
      if (input.kind !== 'debit_adjustment' && amount.gt(open)) {
        issues.push({
          field: f('amount'),
          message: `${amount.toFixed(2)} is more than the ${d.open_amount} ${d.currency} open on ${w.document_id}`,
        });
        continue;
      }
      lines.push({
        account_id: d.account_id,
        document_id: w.document_id,
        amount: formatAmount(amount, d.currency),
      });
    }
    if (issues.length > 0) fail(issues);
    const code = currency!;
    const total = formatAmount(
      lines.reduce((s, l) => s.plus(l.amount), new Money(0)),
      code,
    );
    const accounts = new Set(lines.map((l) => l.account_id));
    const accountId = accounts.size === 1 ? lines[0]!.account_id : '';
    const { rows: ids } = await tx.query<{ id: string }>(
      `select 'ADJ-' || lpad(nextval('adjustment_numbers')::text, 6, '0') as id`,
    );
    const id = ids[0]!.id;
    await tx.query(
      `insert into adjustments (adjustment_id, kind, account_id, currency, amount, corrected_amount, reason_code,
         comment, source_type, source_id, requested_by, requested_by_name)
       values ($1, $2, $3, $4, $5::numeric, $6::numeric, $7, $8, $9, $10, $11::uuid, $12)`,
      [
        id,
        input.kind,
        accountId,
        code,
        total,
        input.corrected_amount ?? null,
        input.reason_code,
        input.comment,
        input.source_type ?? (worksheet ? 'worksheet' : 'item'),
        input.source_id ?? null,
        tx.actor.userId,
        tx.actor.name,
      ],
    );
    await tx.query(
      `insert into adjustment_lines (account_id, adjustment_id, line_no, document_id, amount)
       select l.account_id, $1, l.line_no, l.document_id, l.amount::numeric
       from jsonb_to_recordset($2::jsonb) as l(account_id text, document_id text, amount text, line_no int)`,
      [id, JSON.stringify(lines.map((l, i) => ({ ...l, line_no: i + 1 })))],
    );
    const title =
      lines.length === 1
        ? `${kindLabels[input.kind]} of ${total} ${code} on ${lines[0]!.document_id}`
        : `${kindLabels[input.kind]} worksheet of ${lines.length} documents, ${total} ${code}`;
    const request = await openApprovalRequest(tx, {
      subjectType: adjustmentSubject,
      subjectId: id,
      accountId,
      title,
      currency: code,
      amount: total,
    });
    await tx.query('update adjustments set request_id = $2 where adjustment_id = $1', [
      id,
      request.request_id,
    ]);
    await recordAuditMany(tx, [
      {
        entityType: 'adjustment',
        entityId: id,
        accountId,
        action: 'requested',
        after: {
          kind: input.kind,
          amount: total,
          currency: code,
          reason_code: input.reason_code,
          comment: input.comment,
          lines,
        },
      },
      ...lines.map((l) => ({
        entityType: 'ar_document',
        entityId: l.document_id,
        accountId: l.account_id,
        action: 'adjustment_requested',
        after: { adjustment_id: id, kind: input.kind, amount: l.amount, reason_code: input.reason_code },
      })),
    ]);
    return getAdjustment(tx, id);
  });
}
