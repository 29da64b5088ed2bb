/**
 * The look-ups of the claim form: a claim number made for the partner, what the program requires, the end
 * customers the partner's own sell-out and deals name, and the partner's sell-out lines with units left to
 * claim. Everything is read under the caller's row security and for one account the caller can see: for a
 * partner, another partner's account, end customer or sell-out line is exactly as absent as one that does not
 * exist (the same 404, the same empty list). SKUs come from the published catalogue (`GET /api/products`) and
 * deals from `GET /api/deals`, which row security already limits to the partner's own.
 */
import { z } from 'zod';
import { isBusinessDate, today } from '../../core/dates.ts';
import { notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import type { ProgramType } from '../contracts/index.ts';
import { internalRoles, requireRole } from '../identity/index.ts';
import { creditedQtySql, plainAmount } from './queries.ts';

const id = z.string().trim().min(1).max(200);
const date = z.string().trim().refine(isBusinessDate, 'a date written YYYY-MM-DD').optional();

export const claimFormQuery = z.object({
  account_id: id,
  program_id: id.optional(),
  /** A claim number the partner typed: is it one of its claims already? */
  claim_id: id.optional(),
});
export type ClaimFormQuery = z.input<typeof claimFormQuery>;

export const endCustomerLookupQuery = z.object({
  account_id: id,
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type EndCustomerLookupQuery = z.input<typeof endCustomerLookupQuery>;

export const sellOutLookupQuery = z.object({
  account_id: id,
  sku: id.optional(),
  sale_date: date,
  end_customer_id: id.optional(),
  /** Part of the sell-out reference or the partner's invoice number. */
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type SellOutLookupQuery = z.input<typeof sellOutLookupQuery>;

/** Partners, and the desk users who load claims for them. */
const claimFormUsers = ['partner', ...internalRoles] as const;

export interface ClaimForm {
  account_id: string;
  /** A claim number not yet used by the account: `<account>-<yyyymmdd>-<nn>`. */
  suggested_claim_id: string;
  /** Whether the claim number asked about is one of the account's claims already (null when none was asked). */
  claim_id_taken: boolean | null;
  program: {
    program_id: string;
    name: string;
    type: ProgramType;
    currency: string;
    /** The program's required document types and those of the partner's policies in force today. */
    required_documents: string[];
  } | null;
}

/** The account as the caller sees it, or the 404 an unknown account gets. */
async function visibleAccount(db: Db, accountId: string): Promise<void> {
  const { rows } = await db.query('select 1 from accounts where account_id = $1', [accountId]);
  if (!rows[0]) throw notFound(`The account ${accountId}`);
}

export async function claimForm(db: Db, raw: ClaimFormQuery): Promise<ClaimForm> {
  requireRole(db.actor, claimFormUsers);
  const q = claimFormQuery.parse(raw);
  return db.tx(async (tx) => {
    await visibleAccount(tx, q.account_id);
    const prefix = `${q.account_id}-${today().replaceAll('-', '')}-`;
    const { rows: numbers } = await tx.query<{ next: number; taken: boolean | null }>(
      `select coalesce(max(substr(claim_id, length($2) + 1)::int), 0) + 1 as next,
         (select count(*) > 0 from claims where account_id = $1 and claim_id = $3) as taken
       from claims
       where account_id = $1 and claim_id like $2 || '%' and substr(claim_id, length($2) + 1) ~ '^[0-9]{1,6}$'`,
      [q.account_id, prefix, q.claim_id ?? null],
    );
    const next = numbers[0]?.next ?? 1;
    let program: ClaimForm['program'] = null;
    if (q.program_id) {
      const { rows } = await tx.query<{
        program_id: string;
        name: string;
        type: ProgramType;
        currency: string;
        required_documents: string[] | null;
      }>(
        `select p.program_id, v.name, p.type, v.currency::text,
           array(select jsonb_array_elements_text(coalesce(v.terms -> 'required_documents', '[]'))) ||
             coalesce((select pol.required_documents from clearhouse_policy($2, current_date) pol), '{}')
             as required_documents
         from programs p
         join program_versions v on v.program_id = p.program_id
           and v.version = coalesce(p.active_version, (select max(x.version) from program_versions x
                                                       where x.program_id = p.program_id))
         where p.program_id = $1`,
        [q.program_id, q.account_id],
      );
      const r = rows[0];
      if (!r) throw notFound(`The program ${q.program_id}`);
      program = { ...r, required_documents: [...new Set(r.required_documents ?? [])] };
    }
    return {
      account_id: q.account_id,
      suggested_claim_id: `${prefix}${String(next).padStart(2, '0')}`,
      claim_id_taken: q.claim_id ? (numbers[0]?.taken ?? false) : null,
      program,
    };
  });
}

export interface EndCustomerOption {
  end_customer_id: string;
  name: string;
  country: string;
}

/** The end customers the account's own sell-out and deals name, by id or name. */
export async function lookUpEndCustomers(db: Db, raw: EndCustomerLookupQuery): Promise<EndCustomerOption[]> {
  requireRole(db.actor, claimFormUsers);
  const q = endCustomerLookupQuery.parse(raw);
  return db.tx(async (tx) => {
    await visibleAccount(tx, q.account_id);
    const { rows } = await tx.query<EndCustomerOption>(
      'select end_customer_id, name, country::text from claim_form_end_customers($1, $2, $3)',
      [q.account_id, q.q || null, q.limit],
    );
    return rows;
  });
}

export interface SellOutOption {
  sell_out_ref: string;
  sale_date: string;
  sku: string;
  qty: number;
  unit_price: string | null;
  currency: string | null;
  end_customer_id: string | null;
  partner_invoice_no: string | null;
  credited_qty: number;
  left_qty: number;
}

/**
 * The account's sell-out lines with units not yet credited by a claim, matching the SKU, sale date and end
 * customer given (each optional), newest first.
 */
export async function lookUpSellOut(db: Db, raw: SellOutLookupQuery): Promise<SellOutOption[]> {
  requireRole(db.actor, claimFormUsers);
  const q = sellOutLookupQuery.parse(raw);
  return db.tx(async (tx) => {
    await visibleAccount(tx, q.account_id);
    const { rows } = await tx.query<SellOutOption>(
      `select * from (
         select so.sell_out_ref, so.sale_date, so.sku, so.qty, so.unit_price::text, so.currency::text,
           so.end_customer_id, so.partner_invoice_no, ${creditedQtySql('so')} as credited_qty
         from sell_out so
         where so.account_id = $1
           and ($2::text is null or so.sku = $2)
           and ($3::date is null or so.sale_date = $3)
           and ($4::text is null or so.end_customer_id = $4)
           and ($5::text is null or so.sell_out_ref ilike '%' || $5 || '%'
                or so.partner_invoice_no ilike '%' || $5 || '%')
       ) x
       where x.credited_qty < x.qty
       order by x.sale_date desc, x.sell_out_ref
       limit $6`,
      [q.account_id, q.sku ?? null, q.sale_date ?? null, q.end_customer_id ?? null, q.q || null, q.limit],
    );
    return rows.map((r) => ({
      ...r,
      unit_price: r.unit_price === null ? null : plainAmount(r.unit_price),
      left_qty: r.qty - r.credited_qty,
    }));
  });
}
