// Programs and deals (the contract): registered entity types and use cases.

import { registerImportHooks } from '../imports/index.ts';
import { registerEntityType } from '../platform/index.ts';
import { loadPrograms } from './load-programs.ts';

export { activateVersion } from './activate-version.ts';
export { approveVersion } from './approve-version.ts';
export {
  type ClaimAgainst,
  type DealConsumption,
  dealConsumption,
  type ProgramConsumption,
  programConsumption,
} from './consumption.ts';
export { createProgramVersion } from './create-program-version.ts';
export { type DealDetail, type DealItem, type DealListQuery, getDeal, listDeals } from './deals.ts';
export { loadPrograms } from './load-programs.ts';
export {
  type PaymentMethod,
  type ProgramTerms,
  type ProgramType,
  paymentMethods,
  programTypeLabels,
  programTypes,
  type Tier,
} from './program-schemas.ts';
export type { SaveOutcome, VersionStatus } from './program-versions.ts';
export {
  getProgram,
  listPrograms,
  type ProgramDetail,
  type ProgramListItem,
  type ProgramListQuery,
  type VersionSummary,
} from './programs.ts';

// Programs are the company's records (account ''): their history and documents are the company's own, so
// for a partner user they do not resolve (it reads its programs through the program routes).
registerEntityType('program', async (db, id) => {
  if (db.actor.accounts !== '*') return undefined;
  const { rows } = await db.query('select 1 from programs where program_id = $1', [id]);
  return rows[0] ? { accountId: '' } : undefined;
});

registerEntityType('deal', async (db, id) => {
  const { rows } = await db.query<{ account_id: string }>('select account_id from deals where deal_id = $1', [
    id,
  ]);
  return rows[0] ? { accountId: rows[0].account_id } : undefined;
});

registerImportHooks('programs', { itemLoader: loadPrograms });
