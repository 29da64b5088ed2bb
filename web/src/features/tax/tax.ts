/** Tax-exempt certificates as the server sends them (src/modules/tax), and the words the app shows. */
import type { Certificate } from '../../../../src/modules/tax/index.ts';
import type { Role } from '../identity/user.ts';

export type {
  Certificate,
  CertificateDetail,
  CertificateStatus,
  TaxException,
  TaxFlag,
} from '../../../../src/modules/tax/index.ts';

/** The same lists the server enforces (src/modules/tax/roles.ts). */
export const taxTeam: readonly Role[] = ['tax', 'manager', 'administrator'];
export const certificateRequesters: readonly Role[] = [...taxTeam, 'collector'];
export const certificateReaders: readonly Role[] = [
  ...certificateRequesters,
  'credit',
  'approver',
  'billing',
];

/** What a certificate's state is called, expiry included (expired is a date, not a status). */
export function certificateState(c: Pick<Certificate, 'status' | 'expired' | 'days_to_expiry'>): {
  label: string;
  color: string;
} {
  if (c.expired) return { label: 'Expired', color: 'red' };
  switch (c.status) {
    case 'requested':
      return { label: 'Requested', color: 'gray' };
    case 'received':
      return { label: 'Received — being checked', color: 'blue' };
    case 'rejected':
      return { label: 'Rejected', color: 'red' };
    default:
      return c.days_to_expiry !== null && c.days_to_expiry <= 60
        ? { label: `Valid — expires in ${c.days_to_expiry} days`, color: 'orange' }
        : { label: 'Valid', color: 'teal' };
  }
}

export const flagLabels = {
  TAX_CHARGED_TO_EXEMPT: 'Tax charged to an exempt customer',
  EXEMPTION_WITHOUT_CERTIFICATE: 'No tax, but no valid certificate',
} as const;

export const certificateFileUrl = (documentId: string) =>
  `/api/documents/${encodeURIComponent(documentId)}/content`;
