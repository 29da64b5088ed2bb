import { z } from 'zod';
import { isBusinessDate } from '../../core/dates.ts';

export const certificateStatuses = ['requested', 'received', 'validated', 'rejected'] as const;
export type CertificateStatus = (typeof certificateStatuses)[number];

/** Where an invoice is taxed: a country (`DE`) or an ISO 3166-2 subdivision (`US-TX`); matched exactly. */
export const jurisdictionPattern = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;
export const jurisdiction = z
  .string()
  .trim()
  .regex(jurisdictionPattern, 'must be a country (DE) or an ISO 3166-2 subdivision (US-TX), in capitals');

const businessDate = z.string().trim().refine(isBusinessDate, 'must be a date written YYYY-MM-DD');
const accountId = z.string().trim().min(1).max(200);
const text = (max: number) => z.string().trim().max(max);
/** Empty form fields (multipart sends them as '') are absent. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), schema.optional());

export const certificatesQuery = z.object({
  account_id: accountId.optional(),
  jurisdiction: jurisdiction.optional(),
  /** `queue`: what the tax team has to decide (received), oldest first. */
  status: z.enum([...certificateStatuses, 'queue', 'expired', 'all']).default('all'),
  /** Validated certificates that expire within this many days (from today). */
  expiring_within_days: z.coerce.number().int().min(0).max(3660).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
export type CertificatesQuery = z.input<typeof certificatesQuery>;

export const requestCertificateInput = z.object({
  account_id: accountId,
  jurisdiction,
  /** A line for the customer in the e-mail (what the certificate is needed for). */
  note: text(2000).default(''),
});
export type RequestCertificateInput = z.input<typeof requestCertificateInput>;

/** What the uploader says about the certificate (the file is the certificate itself). */
export const certificateDetails = z
  .object({
    certificate_number: z.string().trim().min(1).max(100),
    exempt_reason: optional(text(500)),
    effective_date: businessDate,
    expiry_date: optional(businessDate),
  })
  .refine((c) => !c.expiry_date || c.expiry_date >= c.effective_date, {
    message: 'is before effective_date',
    path: ['expiry_date'],
  });
export type CertificateDetails = z.input<typeof certificateDetails>;

/** A certificate uploaded without a request: whose and where, besides the details. */
export const newCertificateInput = z.object({
  /** A partner may leave it out when its organisation has one account. */
  account_id: optional(accountId),
  jurisdiction,
});

export const validateCertificateInput = z
  .object({
    /** Corrections of the dates as read on the certificate; by default those given at upload. */
    effective_date: businessDate.optional(),
    expiry_date: businessDate.nullish(),
    comment: text(2000).default(''),
  })
  .default({ comment: '' });
export type ValidateCertificateInput = z.input<typeof validateCertificateInput>;

export const rejectCertificateInput = z.object({
  reason: z.string().trim().min(1, 'say why, for the customer').max(2000),
});
export type RejectCertificateInput = z.input<typeof rejectCertificateInput>;

export const taxExceptionsQuery = z.object({
  account_id: accountId.optional(),
  flag: z.enum(['TAX_CHARGED_TO_EXEMPT', 'EXEMPTION_WITHOUT_CERTIFICATE']).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});
export type TaxExceptionsQuery = z.input<typeof taxExceptionsQuery>;

export const remindersInput = z.object({ as_of: businessDate.optional() }).default({});
