// The import engine: templates, bulk loads, import history.
import { registerEntityType } from '../platform/index.ts';

export {
  afterLoad,
  describeIssue,
  detectTemplate,
  getImport,
  type ImportRequest,
  type ImportResult,
  type ImportSource,
  importGridColumns,
  listImports,
  loadTabular,
  maxIssues,
  parseJsonExact,
  partnerKinds,
  Refused,
  rejectedRows,
  requireImportRights,
  resolveTemplate,
  runImport,
} from './engine.ts';
export {
  hasImportHook,
  type ImportHooks,
  importHook,
  type LoadListener,
  type MergeOptions,
  registerImportHooks,
  registerLoadListener,
  registerVocabulary,
} from './hooks.ts';
export { loadRecord, type RecordMode } from './records.ts';
export {
  type Column,
  type FileTemplate,
  findTemplate,
  loadOrder,
  type TableTemplate,
  type Template,
  templateForFile,
  templates,
} from './templates.ts';
export { checkedTextOf, FileProblem } from './text-check.ts';
export type { ImportIssue, ItemLoader, LoadCounts } from './types.ts';

registerEntityType('import', async (db, id) => {
  const { rows } = await db.query<{ account_id: string }>(
    'select account_id from imports where import_id::text = $1',
    [id],
  );
  return rows[0] ? { accountId: rows[0].account_id } : undefined;
});
