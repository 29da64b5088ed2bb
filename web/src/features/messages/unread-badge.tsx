import { Badge } from '@mantine/core';
import { useThreads } from './use-messages';

/** The number of messages I have not read, beside the navigation's Messages entry. */
export function UnreadBadge() {
  const threads = useThreads();
  const n = threads.data?.unread_total ?? 0;
  if (n === 0) return null;
  return (
    <Badge size="sm" color="red" circle={n < 10} data-testid="messages-unread-total">
      {n > 99 ? '99+' : n}
    </Badge>
  );
}
