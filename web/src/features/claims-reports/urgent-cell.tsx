import { Badge, Switch } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ICellRendererParams } from 'ag-grid-community';
import { useCallback, useRef } from 'react';
import { useSetUrgent } from './use-reports';

interface UrgentRow {
  claim_id: string;
  urgent: boolean;
  status?: string;
}

/** What urgency means, beside the switch and on the column's header. */
export const urgentHint = 'Urgent claims have half the SLA target';

/** A grid cell that shows a claim's urgency and, for the desk, toggles it (half the SLA target). */
export function UrgentCell<T extends UrgentRow>({
  data,
  canEdit,
}: ICellRendererParams<T, boolean> & { canEdit?: boolean }) {
  const setUrgent = useSetUrgent();
  const latest = useRef({ data, setUrgent });
  latest.current = { data, setUrgent };
  // A native listener (React 19 ref with cleanup): the row's click handler (open the claim) must not see
  // clicks on the switch, and a React handler would run only after the row's.
  const wrapper = useCallback((el: HTMLDivElement | null) => {
    if (!el) return;
    const onClick = (event: MouseEvent) => {
      event.stopPropagation();
      event.preventDefault();
      const { data: row, setUrgent: mutation } = latest.current;
      if (!row || mutation.isPending) return;
      mutation.mutate(
        { claimId: row.claim_id, urgent: !row.urgent },
        { onError: (err) => notifications.show({ color: 'red', message: (err as Error).message }) },
      );
    };
    el.addEventListener('click', onClick);
    return () => el.removeEventListener('click', onClick);
  }, []);
  if (!data) return null;
  // A draft's clock has not started and a rejected, paid or closed claim's has stopped: nothing to hurry.
  const locked = ['draft', 'rejected', 'paid', 'closed'].includes(data.status ?? '');
  if (!canEdit || locked) return data.urgent ? <Badge color="red">Urgent</Badge> : null;
  // The browser's own tooltip: a Mantine Tooltip in every row cost the grid's first drawing its floating
  // elements, one a row.
  return (
    <div ref={wrapper} data-testid={`urgent-${data.claim_id}`} title={urgentHint}>
      <Switch
        size="xs"
        checked={data.urgent}
        disabled={setUrgent.isPending}
        readOnly
        aria-label={`Urgent ${data.claim_id}`}
      />
    </div>
  );
}
