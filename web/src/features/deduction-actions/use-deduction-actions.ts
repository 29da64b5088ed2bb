/** The teams' actions on a deduction (src/modules/deductions: denial.ts, resolution.ts, routing.ts). */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  DeductionQueue,
  DenialResult,
  ReassignResult,
  ResolutionRequest,
} from '../../../../src/modules/deductions/index.ts';
import { api } from '../../ui/api';

export type { DenialResult, ReassignResult, ResolutionRequest };

export type DeductionAction = 'deny' | 'accept' | 'write-off' | 'reassign' | 'assign' | 'comments';

export interface ActionBody {
  deny: { comment: string; payback_due_date?: string };
  accept: { comment: string; reason_code?: string };
  'write-off': { comment: string; reason_code?: string };
  reassign: { queue: DeductionQueue; comment: string };
  assign: { assignee: string | null };
  comments: { text: string };
}

export interface ActionResult {
  deny: DenialResult;
  accept: ResolutionRequest;
  'write-off': ResolutionRequest;
  reassign: ReassignResult;
  assign: { deduction_id: string; assignee: string | null };
  comments: { deduction_id: string; text: string };
}

/** One action on one deduction; every deduction query is refreshed after it (the read side's and the tasks). */
export function useDeductionAction<A extends DeductionAction>(deductionId: string, action: A) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ActionBody[A]) =>
      api<ActionResult[A]>(`/api/deductions/${encodeURIComponent(deductionId)}/${action}`, {
        method: 'POST',
        body,
      }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['deductions'] });
      void client.invalidateQueries({ queryKey: ['adjustments'] });
    },
  });
}
