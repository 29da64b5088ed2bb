/**
 * A collector opens a dispute on an invoice or debit memo: what the customer disputes (category, amount at
 * most what is open, its words), routed to the team that owns the category with that team's SLA in business
 * days of the account's country. One dispute at a time per document.
 */
import { today } from '../../core/dates.ts';
import { AppError, type FieldIssue } from '../../core/errors.ts';
import { Money, minorUnits } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import { addBusinessDays } from '../calendar/index.ts';
import { recordAuditMany } from '../platform/index.ts';
import { type DisputeDetail, getDispute } from './dispute-queries.ts';
import { disputeOpeners, requireDisputes } from './roles.ts';
import {
  categoryLabels,
  type DisputeTeam,
  defaultTeam,
  type OpenDisputeInput,
  openDisputeInput,
} from './schemas.ts';
import { teamLabels } from './timeline.ts';

export function fail(issues: FieldIssue[]): never {
  throw new AppError('validation_failed', issues.map((i) => `${i.field}: ${i.message}`).join('; '), {
    issues,
  });
}

/** The assignee as stored (lower-case e-mail): an active user of the team, or a manager or administrator. */
export async function checkAssignee(db: Db, email: string, team: DisputeTeam): Promise<string> {
  const { rows } = await db.query<{ email: string; roles: string[]; active: boolean }>(
    'select email, roles, active from users where email = lower($1)',
    [email],
  );
  const user = rows[0];
  if (!user?.active) fail([{ field: 'assignee', message: `${email} is not an active user` }]);
  if (!user.roles.some((r) => r === team || r === 'manager' || r === 'administrator'))
    fail([
      {
        field: 'assignee',
        message: `${email} is not in the ${teamLabels[team]} team (role ${team}) nor a manager`,
      },
    ]);
  return user.email;
}

export async function openDispute(db: Db, raw: OpenDisputeInput): Promise<DisputeDetail> {
  requireDisputes(db, disputeOpeners);
  const input = openDisputeInput.parse(raw);
  return db.tx(async (tx) => {
    // The document's row is locked so that two disputes opened at once are decided one after the other.
    const { rows: docs } = await tx.query<{
      account_id: string;
      type: string;
      currency: string;
      open_amount: string;
      country: string | null;
    }>(
      `select x.account_id, x.type, x.currency::text,
         (x.amount - coalesce((select sum(e.amount) from ar_application_entries e
           where e.account_id = x.account_id and e.document_id = x.document_id), 0))::text as open_amount,
         (select a.country from accounts a where a.account_id = x.account_id) as country
       from ar_documents x where x.document_id = $1 for update of x`,
      [input.document_id],
    );
    const doc = docs[0];
    if (!doc) fail([{ field: 'document_id', message: `${input.document_id} is not a document you can see` }]);
    if (doc.type !== 'invoice' && doc.type !== 'debit_memo')
      fail([
        {
          field: 'document_id',
          message: `${input.document_id} is a ${doc.type.replaceAll('_', ' ')}: only invoices and debit memos are disputed`,
        },
      ]);
    const { rows: active } = await tx.query<{ dispute_id: string }>(
      `select dispute_id from disputes where account_id = $1 and document_id = $2 and state in ('open', 'in_review')`,
      [doc.account_id, input.document_id],
    );
    if (active[0])
      throw new AppError(
        'conflict',
        `${input.document_id} is in dispute already (${active[0].dispute_id}): add to that dispute, or close it first.`,
        { details: { dispute_id: active[0].dispute_id } },
      );
    const open = new Money(doc.open_amount);
    const amount = new Money(input.amount);
    const digits = minorUnits(doc.currency);
    if (amount.decimalPlaces() > digits)
      fail([{ field: 'amount', message: `${doc.currency} amounts have ${digits} decimals at most` }]);
    if (open.lte(0))
      fail([{ field: 'document_id', message: `${input.document_id} has nothing open to dispute` }]);
    if (amount.gt(open))
      fail([
        {
          field: 'amount',
          message: `${amount.toFixed(digits)} is more than the ${open.toFixed(digits)} ${doc.currency} open on ${input.document_id}: a dispute is at most what is still owed`,
        },
      ]);

    const team = input.team ?? defaultTeam[input.category];
    const assignee = input.assignee ? await checkAssignee(tx, input.assignee, team) : null;
    const { rows: teams } = await tx.query<{ sla_business_days: number }>(
      'select sla_business_days from dispute_teams where team = $1',
      [team],
    );
    const sla = teams[0]!.sla_business_days;
    const on = today();
    const due = addBusinessDays(doc.country ?? '', on, sla);
    const { rows: ids } = await tx.query<{ id: string }>(
      `select 'DSP-' || lpad(nextval('dispute_numbers')::text, 6, '0') as id`,
    );
    const id = ids[0]!.id;
    const row = {
      dispute_id: id,
      account_id: doc.account_id,
      document_id: input.document_id,
      category: input.category,
      currency: doc.currency,
      amount: amount.toFixed(digits),
      description: input.description,
      customer_reference: input.customer_reference ?? null,
      team,
      assignee,
      state: assignee ? 'in_review' : 'open',
      opened_on: on,
      sla_business_days: sla,
      due_date: due,
    };
    await tx.query(
      `insert into disputes (account_id, dispute_id, document_id, category, currency, amount, description,
         customer_reference, team, assignee, state, opened_on, routed_on, sla_business_days, due_date, opened_by,
         opened_by_id)
       values ($1, $2, $3, $4, $5, $6::numeric, $7, $8, $9, $10, $11, $12, $12, $13, $14, $15, $16::uuid)`,
      [
        row.account_id,
        id,
        row.document_id,
        row.category,
        row.currency,
        row.amount,
        row.description,
        row.customer_reference,
        team,
        assignee,
        row.state,
        on,
        sla,
        due,
        tx.actor.name,
        tx.actor.userId,
      ],
    );
    await recordAuditMany(tx, [
      { entityType: 'dispute', entityId: id, accountId: doc.account_id, action: 'opened', after: row },
      {
        entityType: 'ar_document',
        entityId: input.document_id,
        accountId: doc.account_id,
        action: 'dispute_opened',
        after: {
          dispute_id: id,
          category: input.category,
          amount: row.amount,
          team,
          due_date: due,
          text: `${categoryLabels[input.category]} dispute ${id} of ${row.amount} ${doc.currency} opened, routed to ${teamLabels[team]}`,
        },
      },
    ]);
    return getDispute(tx, id);
  });
}
