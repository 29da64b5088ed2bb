import { Badge } from '@mantine/core';
import { type Dispute, slaColors, slaText, stateColors, stateLabels } from './disputes';

export function StateBadge({ dispute }: { dispute: Pick<Dispute, 'state' | 'awaiting_approval'> }) {
  return (
    <Badge color={stateColors[dispute.state]} variant="light" data-testid="dispute-state">
      {dispute.awaiting_approval ? 'awaiting approval' : stateLabels[dispute.state]}
    </Badge>
  );
}

export function SlaBadge({
  dispute,
}: {
  dispute: Pick<Dispute, 'sla_state' | 'business_days_left' | 'overdue'>;
}) {
  return (
    <Badge
      color={slaColors[dispute.sla_state] ?? 'gray'}
      variant={dispute.sla_state === 'breached' ? 'filled' : 'light'}
      data-testid="dispute-sla"
    >
      {slaText(dispute)}
    </Badge>
  );
}
