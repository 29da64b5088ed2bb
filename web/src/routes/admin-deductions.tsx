import { Stack } from '@mantine/core';
import { deductionAdmins } from '../features/deductions-admin/deductions-admin';
import { QueuesCard } from '../features/deductions-admin/queues-card';
import { ReasonCodesCard } from '../features/deductions-admin/reason-codes-card';
import { RoutingRulesCard } from '../features/deductions-admin/routing-rules-card';
import {
  deductionQueuesQuery,
  reasonCodesQuery,
  routingRulesQuery,
} from '../features/deductions-admin/use-deductions-admin';
import { useUser } from '../features/identity/session';
import { hasAnyRole } from '../features/identity/user';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';

/** What the page shows first: the routing rules, every account's reason codes and the queues. */
export function prefetch(): void {
  startQuery(routingRulesQuery);
  startQuery(reasonCodesQuery(''));
  startQuery(deductionQueuesQuery);
}

/**
 * How deductions reach the teams: the customers' reason codes mapped to categories, the routing rules that
 * send some elsewhere, and each queue's SLA and mailbox. Managers and administrators change them.
 */
export default function AdminDeductionsPage() {
  const user = useUser();
  const editable = hasAnyRole(user, deductionAdmins);
  return (
    <>
      <PageHeader
        title="Deduction routing"
        description="A customer’s reason code gives a deduction its category, the category its team; routing rules send some elsewhere (say, one customer’s marketing deductions to the marketing processor). Each team’s queue has its SLA in business days."
      />
      <Stack gap="lg">
        <RoutingRulesCard editable={editable} />
        <ReasonCodesCard editable={editable} />
        <QueuesCard editable={editable} />
      </Stack>
    </>
  );
}
