// Collections: the activity trail and timeline of accounts and items, promises to pay (decided daily by the
// collections.promises job) and the collector's worklist.
import { registerEntityType } from '../platform/index.ts';

export {
  type ActivityInput,
  type ActivityKind,
  type ActivityRow,
  activityInput,
  activityKinds,
  addActivity,
  addComment,
  type CallOutcome,
  callOutcomes,
  collectionsReaders,
  collectionsWriters,
  listTimeline,
  logCall,
  type TimelineEntry,
  type TimelineQuery,
  timelineQuery,
} from './activities.ts';
export { promisesJob } from './jobs.ts';
export {
  createPromise,
  decidePromises,
  listPromises,
  type PromiseDecision,
  type PromiseInput,
  type PromiseRow,
  promiseGraceDays,
  promiseInput,
} from './promises.ts';
export {
  renderTemplate,
  runStrategies,
  type StrategyRunResult,
  type StrategyStepRun,
  strategiesJob,
} from './strategies.ts';
export {
  ageWeight,
  nextAction,
  type WorklistQuery,
  type WorklistRow,
  worklist,
  worklistQuery,
} from './worklist.ts';

registerEntityType('promise', async (db, id) => {
  const { rows } = await db.query<{ account_id: string }>(
    'select account_id from promises where promise_id::text = $1',
    [id],
  );
  return rows[0] ? { accountId: rows[0].account_id } : undefined;
});
