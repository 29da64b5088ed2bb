// Collections: the activity trail and timeline of accounts and items, promises to pay (decided daily by the
// collections.promises job), the collector's worklist, collection strategies (administered, run daily by
// collections.strategies), tasks routed to teams with an SLA, reminders and invoice copies, and Account 360.
import { registerEntityType } from '../platform/index.ts';

export { type AccountOverview, accountOverview } from './account-overview.ts';
export { type AccountStrategy, accountStrategy } from './account-strategy.ts';
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
  type AccountReminderInput,
  accountReminderInput,
  type ItemEmailInput,
  itemEmailInput,
  type SentEmail,
  sendAccountReminder,
  sendItemEmail,
} from './reminders.ts';
export {
  renderTemplate,
  runStrategies,
  type StrategyRunResult,
  type StrategyStepRun,
  strategiesJob,
} from './strategies.ts';
export {
  createStrategy,
  defaultStrategyId,
  deleteStrategy,
  describeTrigger,
  getStrategy,
  listStrategies,
  type Strategy,
  type StrategyStep,
  strategyEditors,
  updateStrategy,
} from './strategy-admin.ts';
export {
  type CreateStrategyInput,
  createStrategyInput,
  emailStepKinds,
  type StepInput,
  type StepKind,
  stepKindLabels,
  stepKinds,
  taskStepKinds,
  templatePlaceholders,
  triggerKinds,
  type UpdateStrategyInput,
  updateStrategyInput,
} from './strategy-schemas.ts';
export {
  type CompleteTaskInput,
  type CreateTaskInput,
  completeTask,
  completeTaskInput,
  createTask,
  createTaskInput,
  insertTask,
  listTasks,
  type TaskOutcome,
  type TaskRow,
  type TaskRowKind,
  type TasksQuery,
  taskOutcomeLabels,
  taskOutcomes,
  taskQueues,
  taskReaders,
  tasksQuery,
} from './tasks.ts';
export {
  ageWeight,
  nextAction,
  type PriorityFactors,
  type Worklist,
  type WorklistQuery,
  type WorklistRow,
  worklist,
  worklistQuery,
} from './worklist.ts';
export {
  type BulkWorklistInput,
  type BulkWorklistResult,
  bulkWorklistAction,
  bulkWorklistInput,
  doWorklistAction,
  type WorklistAction,
  type WorklistActionInput,
  type WorklistActionResult,
  worklistActionInput,
  worklistActionLabels,
  worklistActions,
} from './worklist-actions.ts';

registerEntityType('task', async (db, id) => {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const { rows } = await db.query<{ account_id: string }>('select account_id from tasks where task_id = $1', [
    id,
  ]);
  return rows[0] ? { accountId: rows[0].account_id } : undefined;
});

registerEntityType('collection_strategy', async (db, id) => {
  const { rows } = await db.query('select 1 from collection_strategies where strategy_id = $1', [id]);
  return rows[0] ? { accountId: '' } : undefined;
});

registerEntityType('promise', async (db, id) => {
  const { rows } = await db.query<{ account_id: string }>(
    'select account_id from promises where promise_id::text = $1',
    [id],
  );
  return rows[0] ? { accountId: rows[0].account_id } : undefined;
});
