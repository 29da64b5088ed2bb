// Tax: customers' tax-exempt certificates per jurisdiction (requested by e-mail, uploaded in the portal or on
// the desk, validated or rejected by the tax team, reminded before they expire, a collector's task once they
// have) and the check of invoices that name their tax jurisdiction against them (tax_exceptions.csv).
import { registerEntityType } from '../platform/index.ts';

export { attachCertificateFiles } from './attach-files.ts';
export {
  type Certificate,
  type CertificateDetail,
  getCertificate,
  listCertificates,
} from './certificates.ts';
export { rejectCertificate, validateCertificate } from './decide-certificate.ts';
export {
  listTaxExceptions,
  type TaxException,
  type TaxFlag,
  taxExceptionColumns,
  taxExceptionsCsv,
  taxFlags,
} from './exceptions.ts';
export {
  type CertificateFile,
  uploadNewCertificate,
  uploadRequestedCertificate,
} from './receive-certificate.ts';
export {
  type CertificateRemindersRun,
  certificatesJob,
  reminderStages,
  renewalTaskSlaDays,
  runCertificateReminders,
} from './reminders.ts';
export { type CertificateRequest, portalLink, requestCertificate } from './request-certificate.ts';
export { certificateReaders, certificateRequesters, taxTeam } from './roles.ts';
export {
  type CertificateDetails,
  type CertificateStatus,
  type CertificatesQuery,
  certificateDetails,
  certificateStatuses,
  certificatesQuery,
  jurisdiction,
  newCertificateInput,
  type RejectCertificateInput,
  rejectCertificateInput,
  remindersInput,
  requestCertificateInput,
  type TaxExceptionsQuery,
  taxExceptionsQuery,
  type ValidateCertificateInput,
  validateCertificateInput,
} from './schemas.ts';

// A certificate's file belongs to the customer's account: the partner reads it in the portal (row security).
registerEntityType('tax_certificate', async (db, id) => {
  const { rows } = await db.query<{ account_id: string }>(
    'select account_id from tax_certificates where certificate_id = $1',
    [id],
  );
  return rows[0] ? { accountId: rows[0].account_id } : undefined;
});
