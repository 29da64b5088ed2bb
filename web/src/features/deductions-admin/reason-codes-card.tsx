import {
  ActionIcon,
  Alert,
  Button,
  Card,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { fieldErrors } from '../../ui/api';
import { formatTimestamp } from '../../ui/dates';
import { Empty, LoadError, Loading } from '../../ui/states';
import { categoryLabels, categoryOptions, type DeductionCategory } from './deductions-admin';
import { useDeleteReasonCode, useReasonCodes, useSaveReasonCode } from './use-deductions-admin';

/**
 * Each customer's own reason codes mapped to a category (which decides the queue). A code with no mapping is
 * unknown and goes to collections. reason_codes.csv loads many at once (Imports).
 */
export function ReasonCodesCard({ editable }: { editable: boolean }) {
  const [filter, setFilter] = useState('');
  const codes = useReasonCodes(filter.trim());
  const save = useSaveReasonCode();
  const remove = useDeleteReasonCode();
  const [account, setAccount] = useState('');
  const [code, setCode] = useState('');
  const [category, setCategory] = useState<DeductionCategory | null>(null);
  const errors = fieldErrors(save.error);

  return (
    <Card data-testid="deduction-reason-codes-card">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end">
          <Title order={4} fw={600}>
            Customers’ reason codes
          </Title>
          <TextInput
            label="Show account"
            data-testid="codes-filter"
            placeholder="all accounts"
            value={filter}
            onChange={(e) => setFilter(e.currentTarget.value)}
            w={200}
            size="xs"
          />
        </Group>
        {codes.isPending ? (
          <Loading label="Loading reason codes…" />
        ) : codes.isError ? (
          <LoadError error={codes.error} retry={() => void codes.refetch()} what="the reason codes" />
        ) : codes.data.items.length === 0 ? (
          <Empty title="No reason codes mapped" />
        ) : (
          <Table withTableBorder striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Account</Table.Th>
                <Table.Th>Customer’s code</Table.Th>
                <Table.Th>Category</Table.Th>
                <Table.Th>Changed</Table.Th>
                {editable && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {codes.data.items.map((r) => (
                <Table.Tr key={`${r.account_id}:${r.customer_code}`}>
                  <Table.Td>
                    {r.account_id}
                    {r.account_name && (
                      <Text span size="xs" c="dimmed">
                        {' '}
                        {r.account_name}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{r.customer_code}</Table.Td>
                  <Table.Td>{categoryLabels[r.category]}</Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {formatTimestamp(r.updated_at)}
                      {r.updated_by ? ` · ${r.updated_by}` : ''}
                    </Text>
                  </Table.Td>
                  {editable && (
                    <Table.Td w={40}>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Remove ${r.customer_code} of ${r.account_id}`}
                        onClick={() =>
                          remove.mutate({ account_id: r.account_id, customer_code: r.customer_code })
                        }
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {editable && (
          <Group align="flex-end">
            <TextInput
              label="Account"
              data-testid="code-account"
              value={account}
              onChange={(e) => setAccount(e.currentTarget.value)}
              w={160}
            />
            <TextInput
              label="Customer’s code"
              data-testid="code-code"
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              w={160}
            />
            <Select
              label="Category"
              data-testid="code-category"
              data={categoryOptions}
              value={category}
              onChange={(v) => setCategory(v as DeductionCategory | null)}
              error={errors.category}
              w={180}
            />
            <Button
              disabled={!account.trim() || !code.trim() || !category}
              loading={save.isPending}
              onClick={() =>
                category &&
                save.mutate(
                  { account_id: account.trim(), customer_code: code.trim(), category },
                  {
                    onSuccess: (r) => {
                      notifications.show({
                        color: 'teal',
                        title: 'Reason code saved',
                        message: `${r.customer_code} of ${r.account_id}: ${categoryLabels[r.category]}`,
                      });
                      setCode('');
                    },
                  },
                )
              }
            >
              Map code
            </Button>
          </Group>
        )}
        {(save.error || remove.error) && !Object.keys(errors).length && (
          <Alert color="red" variant="light">
            {(save.error ?? remove.error)?.message}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
