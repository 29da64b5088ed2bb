import { Stack, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useCallback } from 'react';
import { type WorklistAction, worklistActionDoes, worklistActionLabels } from './collections';
import { useWorklistAction } from './use-collections';

const outcomeColor = { done: 'teal', already_done: 'blue', refused: 'orange' } as const;

/**
 * One worklist action for an account, after a confirmation that says what it does; the answer (done, done
 * today already, refused with the reason) as a notification. Used by the worklist's buttons and the account
 * page's next strategy step.
 */
export function useConfirmedAction() {
  const act = useWorklistAction();
  const confirm = useCallback(
    (account: { account_id: string; name: string }, action: WorklistAction, detail?: string) =>
      modals.openConfirmModal({
        title: `${worklistActionLabels[action]}: ${account.name}`,
        children: (
          <Stack gap="xs">
            <Text size="sm">{worklistActionDoes[action]}</Text>
            <Text size="sm" c="dimmed">
              {detail ? `${detail} ` : ''}Done at most once a day: a second click the same day does nothing.
            </Text>
          </Stack>
        ),
        labels: { confirm: worklistActionLabels[action], cancel: 'Cancel' },
        confirmProps: { 'data-testid': 'confirm-next-action' } as Record<string, string>,
        onConfirm: () =>
          act.mutate(
            { accountId: account.account_id, action },
            {
              onSuccess: (result) =>
                notifications.show({
                  color: outcomeColor[result.outcome],
                  title: `${worklistActionLabels[action]}: ${account.name}`,
                  message: result.message,
                }),
              onError: (err) => notifications.show({ color: 'red', message: (err as Error).message }),
            },
          ),
      }),
    [act],
  );
  return { confirm, busy: act.isPending };
}
