/** Messages as the server sends them (src/modules/messages), and the words the app shows. */
import type { Role } from '../identity/user';

export type { RecurringError } from '../../../../src/modules/claims/index.ts';
export type {
  Conversation,
  Message,
  MessageAttachment,
  Recommendation,
  RecommendationStatus,
  ThreadSummary,
} from '../../../../src/modules/messages/index.ts';

/** The same lists the server enforces (src/modules/messages/roles.ts). */
export const messageDesk: readonly Role[] = ['administrator', 'rebate_analyst', 'manager', 'collector'];
export const recommenders: readonly Role[] = ['administrator', 'rebate_analyst', 'manager'];

/** What a conversation is about: a claim of an account, or the account's general conversation. */
export type Subject = { accountId: string; claimId?: string | null };

export const subjectPath = (s: Subject) =>
  s.claimId
    ? `/api/claims/${encodeURIComponent(s.claimId)}/messages?account_id=${encodeURIComponent(s.accountId)}`
    : `/api/accounts/${encodeURIComponent(s.accountId)}/messages`;

export const recommendationStatusLabels = {
  sent: 'Sent',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
} as const;
export const recommendationStatusColors = {
  sent: 'blue',
  acknowledged: 'teal',
  resolved: 'gray',
} as const;
