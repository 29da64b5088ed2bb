/** X12 EDI as the server sends it (src/modules/edi), and the words the app shows. */
import type { Role } from '../identity/user.ts';

export type {
  InterchangeDetail,
  InterchangeSet,
  InterchangeSummary,
  SetError,
  TradingPartner,
} from '../../../../src/modules/edi/index.ts';

/** The same lists the server enforces (src/modules/edi/queries.ts). */
export const ediReaders: readonly Role[] = [
  'administrator',
  'rebate_analyst',
  'manager',
  'collector',
  'distribution',
  'credit',
];
export const ediAdmins: readonly Role[] = ['administrator', 'rebate_analyst', 'manager'];

export const setNames: Record<string, string> = {
  '844': 'Claim',
  '849': 'Claim response',
  '852': 'Inventory',
  '867': 'Sell-out',
  '812': 'Deduction',
  '820': 'Remittance',
  '810': 'Invoice',
  '997': 'Acknowledgment',
};

export function statusColor(status: string | null): string {
  switch (status) {
    case 'loaded':
    case 'accepted':
    case 'written':
    case 'sent':
      return 'teal';
    case 'partial':
    case 'ready':
      return 'yellow';
    case 'refused':
    case 'rejected':
      return 'red';
    default:
      return 'gray';
  }
}

/** An error of a set in words, with where it is. */
export function errorText(e: {
  segment: number;
  set_segment: number;
  segment_id: string;
  element: string | null;
  value: string | null;
  reason: string;
}): string {
  const where = e.element ?? e.segment_id;
  if (e.set_segment === 1 && e.segment_id !== 'ST')
    return `${where} missing (the set at segment ${e.segment}): ${e.reason}`;
  const value = e.value ? ` “${e.value}”` : '';
  return `${where} (segment ${e.segment_id} ${e.set_segment} of the set, ${e.segment} of the interchange)${value}: ${e.reason}`;
}
