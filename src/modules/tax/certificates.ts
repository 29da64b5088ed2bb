/** Reading certificates: the list (the tax team's queue, an account's certificates, a partner's own) and one. */
import { today } from '../../core/dates.ts';
import { notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { isPartner } from '../identity/index.ts';
import { requireCertificateReader, taxTeam } from './roles.ts';
import { type CertificateStatus, type CertificatesQuery, certificatesQuery } from './schemas.ts';

export interface Certificate {
  certificate_id: string;
  account_id: string;
  account_name: string | null;
  jurisdiction: string;
  certificate_number: string | null;
  exempt_reason: string | null;
  effective_date: string | null;
  expiry_date: string | null;
  status: CertificateStatus;
  /** Validated and past its expiry date: it no longer covers anything dated after it. */
  expired: boolean;
  /** Days from today to the expiry date (negative once expired); null without one. */
  days_to_expiry: number | null;
  file_name: string | null;
  /** The certificate's file (GET /api/documents/{id}/content). */
  document_id: string | null;
  requested_on: string | null;
  requested_by: string | null;
  request_email_id: string | null;
  received_on: string | null;
  received_by: string | null;
  decided_on: string | null;
  decided_by: string | null;
  rejection_reason: string | null;
  expiry_task_id: string | null;
  /** The e-mailed reminders: 60, 30 and 0 days before expiry, with the day each went. */
  reminders: { days_before: number; reminded_on: string }[];
  updated_at: string;
}

export interface CertificateDetail extends Certificate {
  /** What the caller may do with it now. */
  may: { upload: boolean; validate: boolean; reject: boolean };
}

const columns = `c.certificate_id, c.account_id, a.name as account_name, c.jurisdiction, c.certificate_number,
  c.exempt_reason, c.effective_date, c.expiry_date, c.status, c.file_name, c.document_id::text,
  c.requested_on, c.requested_by, c.request_email_id::text, c.received_on, c.received_by, c.decided_on,
  c.decided_by, c.rejection_reason, c.expiry_task_id::text, c.updated_at,
  coalesce((select jsonb_agg(jsonb_build_object('days_before', r.days_before, 'reminded_on', r.reminded_on)
              order by r.days_before desc)
            from tax_certificate_reminders r
            where r.account_id = c.account_id and r.certificate_id = c.certificate_id), '[]') as reminders`;

type Raw = Omit<Certificate, 'expired' | 'days_to_expiry' | 'updated_at'> & { updated_at: Date };

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function toCertificate(r: Raw, on: string): Certificate {
  const days = r.expiry_date ? daysBetween(on, r.expiry_date) : null;
  return {
    ...r,
    expired: r.status === 'validated' && days !== null && days < 0,
    days_to_expiry: days,
    updated_at: r.updated_at.toISOString(),
  };
}

/** One certificate the caller may see (row security: a partner's own), or undefined. */
export async function readCertificate(db: Db, certificateId: string): Promise<Certificate | undefined> {
  const { rows } = await db.query<Raw>(
    `select ${columns} from tax_certificates c left join accounts a on a.account_id = c.account_id
     where c.certificate_id = $1`,
    [certificateId],
  );
  return rows[0] ? toCertificate(rows[0], today()) : undefined;
}

export async function getCertificate(db: Db, certificateId: string): Promise<CertificateDetail> {
  requireCertificateReader(db);
  const c = await readCertificate(db, certificateId);
  if (!c) throw notFound(`The certificate ${certificateId}`);
  const team = !isPartner(db.actor.roles) && db.actor.roles.some((r) => (taxTeam as string[]).includes(r));
  return {
    ...c,
    may: {
      upload: c.status === 'requested' || c.status === 'rejected',
      validate: team && c.status === 'received',
      reject: team && c.status === 'received',
    },
  };
}

/**
 * Certificates, newest change first; `status=queue` is the tax team's queue (received, oldest first),
 * `expired` the validated ones past their expiry date. A partner gets its own organisation's.
 */
export async function listCertificates(
  db: Db,
  raw: CertificatesQuery = {},
): Promise<{ as_of: string; items: Certificate[]; counts: Record<CertificateStatus | 'expired', number> }> {
  requireCertificateReader(db);
  const q = certificatesQuery.parse(raw);
  const on = today();
  const { rows } = await db.query<Raw>(
    `select ${columns} from tax_certificates c left join accounts a on a.account_id = c.account_id
     where ($1::text is null or c.account_id = $1) and ($2::text is null or c.jurisdiction = $2)
       and case $4::text
         when 'all' then true
         when 'queue' then c.status = 'received'
         when 'expired' then c.status = 'validated' and c.expiry_date < $3::date
         when 'validated' then c.status = 'validated' and (c.expiry_date is null or c.expiry_date >= $3::date)
         else c.status = $4 end
       and ($5::int is null or (c.status = 'validated' and c.expiry_date between $3::date and $3::date + $5::int))
     order by ${q.status === 'queue' ? 'c.received_on, c.updated_at' : 'c.updated_at desc'}, c.certificate_id
     limit $6`,
    [q.account_id ?? null, q.jurisdiction ?? null, on, q.status, q.expiring_within_days ?? null, q.limit],
  );
  const { rows: countRows } = await db.query<{ status: string; n: number }>(
    `select case when status = 'validated' and expiry_date < $3::date then 'expired' else status end as status,
       count(*)::int as n
     from tax_certificates c
     where ($1::text is null or c.account_id = $1) and ($2::text is null or c.jurisdiction = $2)
     group by 1`,
    [q.account_id ?? null, q.jurisdiction ?? null, on],
  );
  const counts = { requested: 0, received: 0, validated: 0, rejected: 0, expired: 0 };
  for (const r of countRows) counts[r.status as keyof typeof counts] = r.n;
  return { as_of: on, items: rows.map((r) => toCertificate(r, on)), counts };
}
