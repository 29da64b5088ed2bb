import { Button, Card, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFileDownload } from '@tabler/icons-react';
import type { ColDef } from 'ag-grid-community';
import { useMemo, useState } from 'react';
import type { GlAccounts, JournalRow } from '../features/adjustments/adjustments';
import {
  glAccountsQuery,
  journalQuery,
  useGlAccounts,
  useJournal,
  useSetGlAccounts,
} from '../features/adjustments/use-adjustments';
import { useUser } from '../features/identity/session';
import { hasAnyRole } from '../features/identity/user';
import { isDate, todayDate } from '../features/receivables/receivables';
import { DataGrid } from '../ui/data-grid';
import { DateInput } from '../ui/date-input';
import { formatDate } from '../ui/dates';
import { amountColumn } from '../ui/grid-columns';
import { gridViewsQuery } from '../ui/grid-views';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { LoadError, Loading } from '../ui/states';

/** What the page shows first: this month's postings up to today with their grid's saved views, the GL accounts. */
export function prefetch(): void {
  const today = todayDate();
  startQuery(journalQuery(`${today.slice(0, 7)}-01`, today));
  startQuery(gridViewsQuery('journal-grid'));
  startQuery(glAccountsQuery);
}

/** The journal for the ERP: every posting between two dates with its GL accounts; CSV and XLSX. */
export default function JournalPage() {
  const user = useUser();
  const today = todayDate();
  const [from, setFrom] = useState(`${today.slice(0, 7)}-01`);
  const [to, setTo] = useState(today);
  const ok = isDate(from) && isDate(to);
  const journal = useJournal(ok ? from : today, ok ? to : today);
  const columns = useMemo<ColDef<JournalRow>[]>(
    () => [
      { field: 'entry_id', headerName: 'Entry', minWidth: 170 },
      { field: 'entry_date', headerName: 'Date', minWidth: 110, valueFormatter: (p) => formatDate(p.value) },
      { field: 'kind', headerName: 'Kind', minWidth: 130 },
      { field: 'account_id', headerName: 'Account', minWidth: 110 },
      { field: 'document_id', headerName: 'Document', minWidth: 150 },
      { field: 'gl_debit', headerName: 'Debit', minWidth: 90 },
      { field: 'gl_credit', headerName: 'Credit', minWidth: 90 },
      amountColumn<JournalRow>('amount', 'Amount'),
      { field: 'currency', headerName: 'Currency', minWidth: 90 },
      { field: 'reference', headerName: 'Reference', minWidth: 150 },
    ],
    [],
  );
  const q = `from=${from}&to=${to}`;
  return (
    <>
      <PageHeader
        title="Journal"
        description="Every posting with the general-ledger accounts of its kind, for the ERP: cash applications, settlement credit memos, adjustments, write-offs, absorptions and reversals. Each row debits one account and credits another, so every day balances."
        actions={
          <Group align="flex-end">
            <DateInput
              label="From"
              value={from}
              onChange={(e) => setFrom(e.currentTarget.value)}
              w={160}
              data-testid="journal-from"
            />
            <DateInput
              label="To"
              value={to}
              onChange={(e) => setTo(e.currentTarget.value)}
              w={160}
              data-testid="journal-to"
            />
            <Button
              component="a"
              href={`/api/journal.csv?${q}`}
              variant="default"
              leftSection={<IconFileDownload size={16} />}
            >
              CSV
            </Button>
            <Button
              component="a"
              href={`/api/journal.xlsx?${q}`}
              variant="default"
              leftSection={<IconFileDownload size={16} />}
              data-testid="journal-xlsx"
            >
              XLSX
            </Button>
          </Group>
        }
      />
      <Stack gap="lg">
        {journal.isPending ? (
          <Loading label="Loading the journal…" />
        ) : journal.isError ? (
          <LoadError error={journal.error} retry={() => void journal.refetch()} what="the journal" />
        ) : (
          <DataGrid
            testId="journal-grid"
            rows={journal.data.rows}
            columns={columns}
            rowId={(r) => r.entry_id}
            height={520}
          />
        )}
        <GlAccountsCard editable={hasAnyRole(user, ['administrator'])} />
      </Stack>
    </>
  );
}

function GlAccountsCard({ editable }: { editable: boolean }) {
  const accounts = useGlAccounts();
  const save = useSetGlAccounts();
  const [edits, setEdits] = useState<Record<string, GlAccounts>>({});
  if (!accounts.data) return null;
  return (
    <Card>
      <Stack gap="sm">
        <Title order={4} fw={600}>
          GL accounts by kind
        </Title>
        <Text size="sm" c="dimmed">
          A reversal swaps the accounts of the kind it reverses; a rebill’s new invoice swaps the rebill’s.
        </Text>
        <Table withTableBorder striped data-testid="gl-accounts">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Debit</Table.Th>
              <Table.Th>Credit</Table.Th>
              <Table.Th>What</Table.Th>
              {editable && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {accounts.data.items.map((g) => {
              const e = edits[g.kind] ?? g;
              const set = (patch: Partial<GlAccounts>) =>
                setEdits({ ...edits, [g.kind]: { ...e, ...patch } });
              return (
                <Table.Tr key={g.kind}>
                  <Table.Td>{g.kind}</Table.Td>
                  <Table.Td>
                    {editable ? (
                      <TextInput
                        size="xs"
                        w={90}
                        value={e.debit_account}
                        onChange={(x) => set({ debit_account: x.currentTarget.value })}
                      />
                    ) : (
                      g.debit_account
                    )}
                  </Table.Td>
                  <Table.Td>
                    {editable ? (
                      <TextInput
                        size="xs"
                        w={90}
                        value={e.credit_account}
                        onChange={(x) => set({ credit_account: x.currentTarget.value })}
                      />
                    ) : (
                      g.credit_account
                    )}
                  </Table.Td>
                  <Table.Td>{g.description}</Table.Td>
                  {editable && (
                    <Table.Td>
                      <Button
                        size="xs"
                        variant="light"
                        disabled={
                          e.debit_account === g.debit_account && e.credit_account === g.credit_account
                        }
                        onClick={() =>
                          save.mutate(e, {
                            onSuccess: () =>
                              notifications.show({
                                color: 'teal',
                                title: 'Saved',
                                message: `GL accounts of ${g.kind}`,
                              }),
                            onError: (err) =>
                              notifications.show({ color: 'red', title: 'Not saved', message: err.message }),
                          })
                        }
                      >
                        Save
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Stack>
    </Card>
  );
}
