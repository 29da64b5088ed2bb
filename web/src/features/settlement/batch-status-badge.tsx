import { Badge } from '@mantine/core';
import { batchStatusColors, batchStatusLabels, label } from './settlement';

export function BatchStatusBadge({ status }: { status: string | null | undefined }) {
  if (!status) return null;
  return (
    <Badge variant="light" color={batchStatusColors[status] ?? 'gray'}>
      {label(batchStatusLabels, status)}
    </Badge>
  );
}
