import { Badge } from '@mantine/core';
import { type BankCredit, outcomeOf, reasonColors } from './cash';

/** What happened to a credit: applied (with deduction / on account), or the exception's reason. */
export function OutcomeBadge({ credit }: { credit: BankCredit }) {
  const color =
    credit.status === 'exception'
      ? (reasonColors[credit.reason ?? ''] ?? 'red')
      : credit.status === 'new'
        ? 'gray'
        : credit.decided_by === 'manual'
          ? 'indigo'
          : 'teal';
  return (
    <Badge variant="light" color={color} data-testid="credit-outcome">
      {outcomeOf(credit)}
      {credit.status === 'applied' && credit.decided_by === 'manual' ? ' (by hand)' : ''}
    </Badge>
  );
}
