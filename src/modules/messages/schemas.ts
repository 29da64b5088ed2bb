import { z } from 'zod';

const documentId = z.string().trim().min(1).max(100);
/** A client's own id for a message, so that a retried post does not post twice. */
const clientMessageId = z.string().trim().min(1).max(200);

export const postMessageInput = z.object({
  body: z.string().trim().min(1, 'write a message').max(20000),
  /** Documents to attach: upload each first (POST /api/documents, to the claim or the account). */
  attachments: z.array(documentId).max(10).default([]),
  client_message_id: clientMessageId.optional(),
});
export type PostMessageInput = z.input<typeof postMessageInput>;

export const threadsQuery = z.object({
  account_id: z.string().trim().min(1).max(200).optional(),
  /** Only threads with messages I have not read. */
  unread: z.enum(['true', 'false', '1', '0']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ThreadsQuery = z.input<typeof threadsQuery>;

export const ruleCode = z
  .string()
  .trim()
  .regex(/^[A-Z][A-Z0-9_]{1,59}$/, 'a rule code such as LATE_SUBMISSION');

export const recommendationInput = z.object({
  account_id: z.string().trim().min(1).max(200),
  rule_code: ruleCode,
  program_id: z.string().trim().min(1).max(200).optional(),
  /** The advice as sent; the scorecard's wording for the program and rule when left out. */
  text: z.string().trim().min(1).max(5000).optional(),
  /** Send it on a claim's conversation instead of the partner's general one. */
  claim_id: z.string().trim().min(1).max(200).optional(),
  client_message_id: clientMessageId.optional(),
});
export type RecommendationInput = z.input<typeof recommendationInput>;

export const recommendationStatuses = ['sent', 'acknowledged', 'resolved'] as const;
export type RecommendationStatus = (typeof recommendationStatuses)[number];

export const recommendationsQuery = z.object({
  account_id: z.string().trim().min(1).max(200).optional(),
  status: z.enum(recommendationStatuses).optional(),
});
export type RecommendationsQuery = z.input<typeof recommendationsQuery>;
