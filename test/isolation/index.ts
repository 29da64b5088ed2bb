import { adjustmentsCases } from './adjustments.ts';
import { cashCases } from './cash.ts';
import { channelCases } from './channel.ts';
import { claimsCases } from './claims.ts';
import { claimsDocumentsCases } from './claims-documents.ts';
import { claimsFormCases } from './claims-form.ts';
import { claimsOverridesCases } from './claims-overrides.ts';
import { claimsReportsCases } from './claims-reports.ts';
import { collectionsCases } from './collections.ts';
import { contractsCases } from './contracts.ts';
import { correspondenceCases } from './correspondence.ts';
import { creditCases } from './credit.ts';
import { deductionActionsCases } from './deduction-actions.ts';
import { deductionValidationCases } from './deduction-validation.ts';
import { deductionsCases } from './deductions.ts';
import { deskCases } from './desk.ts';
import { disputesCases } from './disputes.ts';
import { ediCases } from './edi.ts';
import { gridsCases } from './grids.ts';
import { importsCases } from './imports.ts';
import { messagesCases } from './messages.ts';
import { policiesCases } from './policies.ts';
import { receivablesCases } from './receivables.ts';
import { reportingCases } from './reporting.ts';
import { reviewsCases } from './reviews.ts';
import { settlementCases } from './settlement.ts';
import { taxCases } from './tax.ts';
import type { CaseModule } from './types.ts';

/** Each capability keeps its partner-isolation cases in its own file; list them here. */
export const caseModules: CaseModule[] = [
  deskCases,
  ediCases,
  importsCases,
  contractsCases,
  channelCases,
  claimsCases,
  claimsDocumentsCases,
  claimsFormCases,
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
  reportingCases,
  reviewsCases,
  gridsCases,
];
