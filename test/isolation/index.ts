import { adjustmentsCases } from './adjustments.ts';
import { cashCases } from './cash.ts';
import { channelCases } from './channel.ts';
import { claimsCases } from './claims.ts';
import { claimsDocumentsCases } from './claims-documents.ts';
import { claimsOverridesCases } from './claims-overrides.ts';
import { claimsReportsCases } from './claims-reports.ts';
import { collectionsCases } from './collections.ts';
import { contractsCases } from './contracts.ts';
import { correspondenceCases } from './correspondence.ts';
import { creditCases } from './credit.ts';
import { deductionActionsCases } from './deduction-actions.ts';
import { deductionValidationCases } from './deduction-validation.ts';
import { deductionsCases } from './deductions.ts';
import { disputesCases } from './disputes.ts';
import { gridsCases } from './grids.ts';
import { importsCases } from './imports.ts';
import { messagesCases } from './messages.ts';
import { policiesCases } from './policies.ts';
import { receivablesCases } from './receivables.ts';
import { settlementCases } from './settlement.ts';
import { taxCases } from './tax.ts';
import type { CaseModule } from './types.ts';

/** Each capability keeps its partner-isolation cases in its own file; list them here. */
export const caseModules: CaseModule[] = [
  importsCases,
  contractsCases,
  channelCases,
  claimsCases,
  claimsDocumentsCases,
  claimsOverridesCases,
  claimsReportsCases,
  receivablesCases,
  correspondenceCases,
  collectionsCases,
  settlementCases,
  adjustmentsCases,
  cashCases,
  policiesCases,
  deductionValidationCases,
  deductionActionsCases,
  deductionsCases,
  disputesCases,
  messagesCases,
  creditCases,
  taxCases,
  gridsCases,
];
