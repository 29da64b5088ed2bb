import { Anchor, Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconPlayerPlay } from '@tabler/icons-react';
import { Link } from 'react-router';
import { formatDate, formatTimestamp } from '../../ui/dates';
import { useUser } from '../identity/session';
import { hasAnyRole, isPartner } from '../identity/user';
import {
  type ProgramDetail,
  programActivators,
  programApprovers,
  programPath,
  statusColors,
  statusLabels,
  type VersionSummary,
} from './contract';
import { useActivateVersion, useApproveVersion } from './use-contracts';

/** One step of a version's life: who and when, or nothing while it has not happened. */
function step(label: string, name: string | null, at: string | null) {
  if (!at) return null;
  return (
    <Text size="xs">
      <Text span size="xs" c="dimmed">
        {label}
      </Text>{' '}
      {name ?? 'system'} · {formatTimestamp(at)}
    </Text>
  );
}

/** Every version of the program with who prepared, approved and activated it, and the next step. */
export function ProgramVersions({ program, shown }: { program: ProgramDetail; shown: number }) {
  const user = useUser();
  const partner = isPartner(user);
  const mayApprove = hasAnyRole(user, programApprovers);
  const mayActivate = hasAnyRole(user, programActivators);
  const approve = useApproveVersion();
  const activate = useActivateVersion();

  const confirm = (v: VersionSummary, action: 'approve' | 'activate') =>
    modals.openConfirmModal({
      title:
        action === 'approve' ? `Approve version ${v.version}?` : `Bring version ${v.version} into force?`,
      children: (
        <Text size="sm">
          {action === 'approve'
            ? 'Approving confirms these terms. The version comes into force only when an approver activates it.'
            : program.active_version
              ? `Version ${program.active_version} stops being in force and is kept as superseded. Claims are validated against version ${v.version} from now on.`
              : `Claims are validated against version ${v.version} from now on, and enrolled partners see the program.`}
        </Text>
      ),
      labels: { confirm: action === 'approve' ? 'Approve' : 'Activate', cancel: 'Cancel' },
      onConfirm: () =>
        (action === 'approve' ? approve : activate).mutate(
          { programId: program.program_id, version: v.version },
          {
            onSuccess: (done) =>
              notifications.show({
                color: 'teal',
                title: action === 'approve' ? 'Version approved' : 'Version in force',
                message: `${program.name}, version ${done.version}`,
              }),
            onError: (error) =>
              notifications.show({
                color: 'red',
                title: action === 'approve' ? 'Not approved' : 'Not activated',
                message: error.message,
              }),
          },
        ),
    });

  return (
    <Card data-testid="program-versions">
      <Title order={3} fz="md" fw={600} mb="md">
        Versions
      </Title>
      <Table.ScrollContainer minWidth={560}>
        <Table verticalSpacing={6} highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Version</Table.Th>
              <Table.Th>Period</Table.Th>
              <Table.Th>{partner ? 'In force' : 'Prepared, approved, activated'}</Table.Th>
              {!partner && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {program.versions.map((v) => (
              <Table.Tr
                key={v.version}
                bg={v.version === shown ? 'var(--mantine-color-indigo-0)' : undefined}
              >
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Anchor component={Link} to={programPath(program.program_id, v.version)} size="sm">
                      Version&nbsp;{v.version}
                    </Anchor>
                    <Badge
                      variant="light"
                      color={statusColors[v.status]}
                      radius="sm"
                      style={{ flexShrink: 0 }}
                    >
                      {statusLabels[v.status]}
                    </Badge>
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {formatDate(v.start_date)} – {formatDate(v.end_date)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {partner ? (
                    <Text size="sm">
                      {v.activated_at ? `from ${formatTimestamp(v.activated_at)}` : '—'}
                      {v.superseded_at ? ` until ${formatTimestamp(v.superseded_at)}` : ''}
                    </Text>
                  ) : (
                    <Stack gap={0}>
                      {step('Prepared', v.created_by, v.created_at)}
                      {step('Approved', v.approved_by, v.approved_at)}
                      {step('Activated', v.activated_by, v.activated_at)}
                      {v.superseded_at && (
                        <Text size="xs" c="dimmed">
                          Superseded {formatTimestamp(v.superseded_at)}
                        </Text>
                      )}
                    </Stack>
                  )}
                </Table.Td>
                {!partner && (
                  <Table.Td>
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      {v.status === 'draft' && mayApprove && (
                        <Button
                          size="xs"
                          variant="light"
                          leftSection={<IconCheck size={14} />}
                          loading={approve.isPending}
                          onClick={() => confirm(v, 'approve')}
                          data-testid={`approve-version-${v.version}`}
                        >
                          Approve
                        </Button>
                      )}
                      {v.status === 'approved' && mayActivate && (
                        <Button
                          size="xs"
                          leftSection={<IconPlayerPlay size={14} />}
                          loading={activate.isPending}
                          onClick={() => confirm(v, 'activate')}
                          data-testid={`activate-version-${v.version}`}
                        >
                          Activate
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {!partner && program.versions.some((v) => v.status === 'draft') && !mayApprove && (
        <Text size="xs" c="dimmed" mt="sm">
          A draft comes into force once an approver (not the person who prepared it) approves and activates
          it.
        </Text>
      )}
    </Card>
  );
}
