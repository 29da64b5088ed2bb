import { countryName } from '../../core/codes.ts';
import { notFound } from '../../core/errors.ts';
import { Money } from '../../core/money.ts';
import type { Actor, Db } from '../../db/db.ts';
import { isPartner, requireRole } from '../identity/index.ts';
import { type ClaimAgainst, programConsumption } from './consumption.ts';
import { contractReaders } from './contract-roles.ts';
import type { ProgramTerms, ProgramType } from './program-schemas.ts';
import type { ProgramVersionRow, VersionStatus } from './program-versions.ts';

/**
 * Reading programs. Row security decides what a partner sees: programs whose version in force enrols one
 * of its accounts (by name or by country), and only their active and superseded versions.
 */
export interface ProgramListQuery {
  type?: ProgramType | undefined;
  /** Programs with a version in this status. */
  status?: VersionStatus | undefined;
  /** Programs whose version shown enrols this account, by name or by its country. */
  partner?: string | undefined;
}

export interface ProgramListItem {
  program_id: string;
  name: string;
  type: ProgramType;
  /** The version shown: the one in force, or the latest while none is. */
  version: number;
  status: VersionStatus;
  currency: string;
  country: string | null;
  start_date: string;
  end_date: string;
  budget: string | null;
  claim_window_days: number | null;
  active_version: number | null;
  latest_version: number;
  latest_status: VersionStatus;
  /** The accounts the version shown enrols by name; empty means every partner of `country`. */
  partners: string[];
}

export interface VersionSummary {
  version: number;
  status: VersionStatus;
  name: string;
  start_date: string;
  end_date: string;
  currency: string;
  country: string | null;
  budget: string | null;
  created_by: string | null;
  created_at: Date;
  approved_by: string | null;
  approved_at: Date | null;
  activated_by: string | null;
  activated_at: Date | null;
  superseded_at: Date | null;
}

export interface ProgramDetail {
  program_id: string;
  name: string;
  type: ProgramType;
  active_version: number | null;
  latest_version: number;
  /** The version this detail describes. */
  version: VersionSummary;
  terms: ProgramTerms;
  versions: VersionSummary[];
  enrolment: {
    /** Set when the version enrols every partner of a country rather than named partners. */
    every_partner_in: string | null;
    label: string;
    partners: { account_id: string; name: string | null }[];
  };
  eligible_products: {
    every_product: boolean;
    skus: string[];
    categories: string[];
    /** Up to `productLimit` products, by SKU. */
    products: {
      sku: string;
      name: string;
      family: string | null;
      category: string | null;
      list_price: string | null;
      currency: string | null;
    }[];
    total: number;
  };
  budget: { amount: string | null; used: string; left: string | null; currency: string };
  claims: ClaimAgainst[];
}

const productLimit = 500;

/**
 * A program's terms as the actor may read them: a partner user sees what the terms say about its own
 * organisation only, so the enrolled partners are cut to its own accounts (the rest of the terms are the
 * program's, the same for every partner enrolled).
 */
export function termsFor(actor: Actor, terms: ProgramTerms): ProgramTerms {
  if (actor.accounts === '*' || terms.partners === undefined) return terms;
  const own = new Set(actor.accounts);
  return { ...terms, partners: terms.partners.filter((p) => own.has(p)) };
}

export function versionSummary(v: ProgramVersionRow): VersionSummary {
  return {
    version: v.version,
    status: v.status,
    name: v.name,
    start_date: v.start_date,
    end_date: v.end_date,
    currency: v.currency,
    country: v.country,
    budget: v.budget,
    created_by: v.created_by,
    created_at: v.created_at,
    approved_by: v.approved_by,
    approved_at: v.approved_at,
    activated_by: v.activated_by,
    activated_at: v.activated_at,
    superseded_at: v.superseded_at,
  };
}

export async function listPrograms(db: Db, q: ProgramListQuery = {}): Promise<ProgramListItem[]> {
  requireRole(db.actor, contractReaders);
  const { rows } = await db.query<ProgramListItem>(
    `select p.program_id, p.name, p.type, v.version, v.status, v.currency, v.country, v.start_date, v.end_date,
       v.budget, v.claim_window_days, p.active_version, p.latest_version, coalesce(l.status, v.status) as latest_status,
       coalesce((select array_agg(pp.account_id order by pp.account_id) from program_partners pp
                 where pp.program_id = v.program_id and pp.version = v.version), '{}') as partners
     from programs p
     join program_versions v on v.program_id = p.program_id and v.version = coalesce(p.active_version, p.latest_version)
     left join program_versions l on l.program_id = p.program_id and l.version = p.latest_version
     where ($1::text is null or p.type = $1)
       and ($2::text is null or exists (select 1 from program_versions s where s.program_id = p.program_id and s.status = $2))
       and ($3::text is null
            or exists (select 1 from program_partners pp
                       where pp.program_id = v.program_id and pp.version = v.version and pp.account_id = $3)
            or (not exists (select 1 from program_partners pp where pp.program_id = v.program_id and pp.version = v.version)
                and v.country = (select a.country from accounts a where a.account_id = $3)))
     order by p.program_id`,
    [q.type ?? null, q.status ?? null, q.partner ?? null],
  );
  // A partner sees only versions in force: do not tell it that a newer one is being prepared.
  if (isPartner(db.actor.roles)) {
    for (const r of rows) {
      r.latest_version = r.version;
      r.latest_status = r.status;
    }
  }
  return rows;
}

/** A program as of one version (default: the one in force, or the latest while none is). */
export async function getProgram(db: Db, programId: string, version?: number): Promise<ProgramDetail> {
  requireRole(db.actor, contractReaders);
  return db.tx(async (tx) => {
    const { rows: programs } = await tx.query<{
      program_id: string;
      name: string;
      type: ProgramType;
      active_version: number | null;
      latest_version: number;
    }>('select program_id, name, type, active_version, latest_version from programs where program_id = $1', [
      programId,
    ]);
    const program = programs[0];
    if (!program) throw notFound(`The program ${programId}`);
    const { rows: versions } = await tx.query<ProgramVersionRow>(
      'select * from program_versions where program_id = $1 order by version desc',
      [programId],
    );
    const wanted = version ?? program.active_version ?? program.latest_version;
    const v = versions.find((x) => x.version === wanted);
    if (!v) throw notFound(`Version ${wanted} of the program ${programId}`);

    const { rows: partners } = await tx.query<{ account_id: string; name: string | null }>(
      `select pp.account_id, a.name from program_partners pp left join accounts a on a.account_id = pp.account_id
       where pp.program_id = $1 and pp.version = $2 order by pp.account_id`,
      [programId, v.version],
    );
    const everyPartnerIn = partners.length === 0 ? v.country : null;
    const label =
      partners.length > 0
        ? partners.map((p) => p.name ?? p.account_id).join(', ')
        : v.country
          ? `every partner in ${countryName(v.country)}`
          : 'no partner';

    const skus = v.terms.eligible_skus ?? [];
    const categories = v.terms.eligible_categories ?? [];
    const everyProduct = skus.length === 0 && categories.length === 0;
    const productWhere = everyProduct ? 'true' : '(sku = any($1::text[]) or category = any($2::text[]))';
    const productArgs = everyProduct ? [] : [skus, categories];
    const { rows: products } = await tx.query<ProgramDetail['eligible_products']['products'][number]>(
      `select sku, name, family, category, list_price, currency from products where ${productWhere}
       order by sku limit ${productLimit}`,
      productArgs,
    );
    const { rows: counted } = await tx.query<{ n: string }>(
      `select count(*) as n from products where ${productWhere}`,
      productArgs,
    );

    const consumption = (await programConsumption(tx, [programId])).get(programId) ?? {
      used: '0.00',
      claims: [],
    };
    const left = v.budget === null ? null : new Money(v.budget).minus(consumption.used).toFixed(2);

    const partner = isPartner(tx.actor.roles);
    return {
      program_id: program.program_id,
      name: program.name,
      type: program.type,
      active_version: program.active_version,
      // A partner sees only versions in force: do not tell it that a newer one is being prepared.
      latest_version: partner ? Math.max(...versions.map((x) => x.version)) : program.latest_version,
      version: versionSummary(v),
      terms: termsFor(tx.actor, v.terms),
      versions: versions.map(versionSummary),
      enrolment: { every_partner_in: everyPartnerIn, label, partners },
      eligible_products: {
        every_product: everyProduct,
        skus,
        categories,
        products,
        total: Number(counted[0]!.n),
      },
      budget: { amount: v.budget, used: consumption.used, left, currency: v.currency },
      claims: consumption.claims,
    };
  });
}
