import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  MultiSelect,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, fieldErrors } from '../../ui/api';
import { type AdjustmentKind, type AdjustmentReason, kindLabels } from './adjustments';
import { useReasons } from './use-adjustments';

/** The reason codes of adjustments; an administrator adds codes or changes them (never deletes: inactive). */
export function ReasonsCard({ editable }: { editable: boolean }) {
  const reasons = useReasons();
  const client = useQueryClient();
  const [code, setCode] = useState('');
  const [description, setDescription] = useState('');
  const [kinds, setKinds] = useState<string[]>([]);
  const [documents, setDocuments] = useState(false);
  const save = useMutation({
    mutationFn: (r: Omit<AdjustmentReason, 'reason_code'> & { reason_code: string }) =>
      api<AdjustmentReason>(`/api/adjustment-reasons/${encodeURIComponent(r.reason_code)}`, {
        method: 'PUT',
        body: {
          description: r.description,
          kinds: r.kinds,
          documents_required: r.documents_required,
          active: r.active,
        },
      }),
    onSuccess: (r) => {
      notifications.show({ color: 'teal', title: 'Reason saved', message: r.reason_code });
      void client.invalidateQueries({ queryKey: ['adjustments', 'reasons'] });
    },
  });
  const errors = fieldErrors(save.error);
  if (!reasons.data) return null;
  return (
    <Card mt="lg" data-testid="reasons-card">
      <Stack gap="sm">
        <Title order={4} fw={600}>
          Reason codes
        </Title>
        <Table withTableBorder striped>
          <Table.Tbody>
            {reasons.data.items.map((r) => (
              <Table.Tr key={r.reason_code}>
                <Table.Td>{r.reason_code}</Table.Td>
                <Table.Td>{r.description}</Table.Td>
                <Table.Td>{r.kinds.map((k) => kindLabels[k]).join(', ')}</Table.Td>
                <Table.Td>
                  {r.documents_required ? <Badge variant="light">documents required</Badge> : null}
                </Table.Td>
                <Table.Td>
                  {editable ? (
                    <Button
                      size="xs"
                      variant="subtle"
                      onClick={() => save.mutate({ ...r, active: !r.active })}
                    >
                      {r.active ? 'Retire' : 'Reinstate'}
                    </Button>
                  ) : r.active ? null : (
                    <Text size="xs" c="dimmed">
                      retired
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {editable && (
          <Group align="flex-end">
            <TextInput
              label="Code"
              value={code}
              onChange={(e) => setCode(e.currentTarget.value.toUpperCase())}
              error={errors.reason_code}
              w={180}
            />
            <TextInput
              label="Description"
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
              error={errors.description}
              w={260}
            />
            <MultiSelect
              label="Kinds"
              data={(Object.keys(kindLabels) as AdjustmentKind[]).map((k) => ({
                value: k,
                label: kindLabels[k],
              }))}
              value={kinds}
              onChange={setKinds}
              error={errors.kinds}
              w={280}
            />
            <Checkbox
              label="Documents required"
              checked={documents}
              onChange={(e) => setDocuments(e.currentTarget.checked)}
              mb={8}
            />
            <Button
              onClick={() =>
                save.mutate({
                  reason_code: code,
                  description,
                  kinds: kinds as AdjustmentKind[],
                  documents_required: documents,
                  active: true,
                })
              }
              loading={save.isPending}
            >
              Save reason
            </Button>
          </Group>
        )}
        {save.error && !Object.keys(errors).length && (
          <Alert color="red" variant="light">
            {save.error.message}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
