// Messages: a conversation on each claim and one per partner account between the partner and the desk, with
// attachments, unread counts and e-mail to the other side; and the analyst's recommendations from the
// scorecard, sent as messages and tracked (sent, acknowledged, resolved).
import { registerEntityType } from '../platform/index.ts';

export { type Posted, postMessage, type RecommendationFields } from './post-message.ts';
export {
  type Conversation,
  conversation,
  listThreads,
  type Message,
  type MessageAttachment,
  type MessageRecommendation,
  markRead,
} from './read-messages.ts';
export {
  acknowledgeRecommendation,
  listRecommendations,
  type Recommendation,
  resolveRecommendation,
  sendRecommendation,
} from './recommendations.ts';
export { messageDesk, recommenders, type Side, sideOf } from './roles.ts';
export {
  type PostMessageInput,
  postMessageInput,
  type RecommendationInput,
  type RecommendationStatus,
  type RecommendationsQuery,
  recommendationInput,
  recommendationStatuses,
  recommendationsQuery,
  type ThreadsQuery,
  threadsQuery,
} from './schemas.ts';
export type { Subject, ThreadSummary } from './threads.ts';

// A message's attachments are listed by the message: visible to whoever sees the message.
registerEntityType('message', async (db, id) => {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const { rows } = await db.query<{ account_id: string }>(
    'select account_id from messages where message_id = $1',
    [id],
  );
  return rows[0] ? { accountId: rows[0].account_id } : undefined;
});
