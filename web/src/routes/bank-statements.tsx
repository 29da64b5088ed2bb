import {
  Anchor,
  Badge,
  Breadcrumbs,
  Card,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconBuildingBank, IconCheck, IconX } from '@tabler/icons-react';
import type { ColDef } from 'ag-grid-community';
import { useMemo } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import {
  type BankCredit,
  type BankFileSummary,
  bankFilePath,
  creditPath,
  gridHeight,
  outcomeOf,
  ruleLabels,
} from '../features/cash/cash';
import { OutcomeBadge } from '../features/cash/outcome-badge';
import { bankFileQuery, bankFilesQuery, useBankFile, useBankFiles } from '../features/cash/use-cash';
import { negateAmount, sumAmounts } from '../features/receivables/receivables';
import { DataGrid, widgetCell } from '../ui/data-grid';
import { formatDate, formatTimestamp } from '../ui/dates';
import { amountColumn } from '../ui/grid-columns';
import { gridViewsQuery } from '../ui/grid-views';
import { compareAmounts, formatMoney } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { Empty, LoadError, Loading } from '../ui/states';

/**
 * What the page shows first: the bank files and their grid's saved views; or the file `?file=` names and its
 * credits grid's saved views.
 */
export function prefetch(url: URL): void {
  const fileId = url.searchParams.get('file');
  if (fileId) {
    startQuery(bankFileQuery(fileId));
    startQuery(gridViewsQuery('bank-credits-grid'));
  } else {
    startQuery(bankFilesQuery);
    startQuery(gridViewsQuery('bank-files-grid'));
  }
}

/** The bank files loaded, newest first; `?file=` opens one with its statements and credits. */
export default function BankStatementsPage() {
  const [search] = useSearchParams();
  const fileId = search.get('file');
  return fileId ? <BankFile fileId={fileId} /> : <BankFileList />;
}

function BankFileList() {
  const navigate = useNavigate();
  const files = useBankFiles();
  const columns = useMemo<ColDef<BankFileSummary>[]>(
    () => [
      { field: 'file_name', headerName: 'File', minWidth: 170, flex: 2 },
      {
        field: 'format',
        headerName: 'Format',
        minWidth: 90,
        valueFormatter: (p) => String(p.value ?? '').toUpperCase(),
      },
      { field: 'bank_file_ref', headerName: 'Bank ref.', minWidth: 110 },
      {
        field: 'loaded_at',
        headerName: 'Loaded',
        minWidth: 165,
        valueFormatter: (p) => formatTimestamp(p.value),
      },
      { field: 'credit_count', headerName: 'Credits', type: 'rightAligned', minWidth: 85 },
      amountColumn('credit_total', 'Credit total'),
      { field: 'applied_count', headerName: 'Applied', type: 'rightAligned', minWidth: 85 },
      {
        field: 'exception_count',
        headerName: 'Exceptions',
        minWidth: 110,
        cellClass: widgetCell,
        cellRenderer: (p: { value: number }) =>
          p.value > 0 ? (
            <Badge color="orange" variant="light">
              {p.value}
            </Badge>
          ) : (
            <Text size="sm" c="dimmed">
              0
            </Text>
          ),
      },
      amountColumn('on_account_amount', 'On account', 110),
      amountColumn('deduction_amount', 'Deductions', 110),
    ],
    [],
  );
  return (
    <>
      <PageHeader
        title="Bank statements"
        description="Every bank file loaded (BAI2, lockbox, camt.053/054, NACHA, X12 820) with what the cash application did to its credits. Load a file on the Imports page."
      />
      {files.isPending ? (
        <Loading label="Loading bank files…" />
      ) : files.isError ? (
        <LoadError error={files.error} retry={() => void files.refetch()} what="the bank files" />
      ) : (
        <DataGrid
          testId="bank-files-grid"
          rows={files.data.items}
          columns={columns}
          rowId={(f) => f.file_id}
          onRowClick={(f) => navigate(bankFilePath(f.file_id))}
          empty={
            <Paper withBorder>
              <Empty
                icon={<IconBuildingBank size={22} stroke={1.5} />}
                title="No bank files yet"
                description="Upload a bank file on the Imports page, or run clearhouse import with it: it is recognised by its content."
              />
            </Paper>
          }
        />
      )}
    </>
  );
}

function Figure({
  label,
  value,
  color,
  testId,
}: {
  label: string;
  value: string;
  color?: string;
  testId?: string;
}) {
  return (
    <div data-testid={testId}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} fz="lg" c={color}>
        {value}
      </Text>
    </div>
  );
}

function Ties({ ties }: { ties: boolean | null }) {
  if (ties === null)
    return (
      <Badge variant="light" color="gray">
        no control totals
      </Badge>
    );
  return ties ? (
    <Badge variant="light" color="teal" leftSection={<IconCheck size={12} />}>
      ties
    </Badge>
  ) : (
    <Badge variant="filled" color="red" leftSection={<IconX size={12} />}>
      does not tie
    </Badge>
  );
}

function BankFile({ fileId }: { fileId: string }) {
  const navigate = useNavigate();
  const detail = useBankFile(fileId);
  const columns = useMemo<ColDef<BankCredit>[]>(
    () => [
      // Shown first: who paid, how much, what became of it; the rest waits under Columns.
      { field: 'statement_no', headerName: 'Stmt', minWidth: 70, maxWidth: 80, hide: true },
      { field: 'payment_ref', headerName: 'Payment', minWidth: 130 },
      {
        field: 'value_date',
        headerName: 'Value date',
        minWidth: 110,
        valueFormatter: (p) => formatDate(p.value),
      },
      { field: 'payer_name', headerName: 'Payer', minWidth: 160, flex: 1.5 },
      { field: 'text', headerName: 'Text', minWidth: 180, flex: 2, tooltipField: 'text', hide: true },
      amountColumn('amount', 'Amount'),
      { field: 'currency', headerName: 'Cur.', minWidth: 70, maxWidth: 80 },
      {
        colId: 'outcome',
        headerName: 'Outcome',
        minWidth: 250,
        valueGetter: (p) => (p.data ? outcomeOf(p.data) : ''),
        cellClass: widgetCell,
        cellRenderer: (p: { data?: BankCredit }) => (p.data ? <OutcomeBadge credit={p.data} /> : null),
      },
      { field: 'account_id', headerName: 'Account', minWidth: 100, hide: false },
      amountColumn('applied_amount', 'Applied', 110),
      { ...amountColumn<BankCredit>('deduction_amount', 'Deduction', 110), hide: true },
      { ...amountColumn<BankCredit>('on_account_amount', 'On account', 110), hide: true },
      {
        field: 'rule',
        headerName: 'Rule',
        minWidth: 120,
        hide: true,
        valueFormatter: (p) => (p.value ? (ruleLabels[p.value] ?? p.value) : ''),
      },
    ],
    [],
  );
  const above = (
    <Breadcrumbs>
      <Anchor component={Link} to="/bank-statements" size="sm">
        Bank statements
      </Anchor>
      <Text size="sm">{detail.data?.file.file_name ?? fileId.slice(0, 12)}</Text>
    </Breadcrumbs>
  );
  if (detail.isPending) return <Loading label="Loading the bank file…" />;
  if (detail.isError)
    return (
      <>
        <PageHeader title="Bank file" above={above} />
        <LoadError error={detail.error} retry={() => void detail.refetch()} what="the bank file" />
      </>
    );
  const { file, statements, credits } = detail.data;
  const newAmount = sumAmounts(credits.filter((c) => c.status === 'new').map((c) => c.amount));
  // A deduction is what the customer kept on an invoice, not part of the credit's cash.
  const accounted = sumAmounts([
    file.applied_amount,
    file.on_account_amount,
    file.exception_amount,
    newAmount,
  ]);
  const difference = sumAmounts([file.credit_total, negateAmount(accounted)]);
  const currencies = [...new Set(credits.map((c) => c.currency))];
  const cur = currencies.length === 1 ? currencies[0] : undefined;
  const outcomeTies = compareAmounts(difference, '0') === 0;
  return (
    <Stack gap="lg" data-testid="bank-file-detail">
      <PageHeader
        above={above}
        title={file.file_name}
        description={`${file.format.toUpperCase()}${file.bank_file_ref ? ` · bank reference ${file.bank_file_ref}` : ''}${file.created_date ? ` · created ${formatDate(file.created_date)}` : ''} · loaded ${formatTimestamp(file.loaded_at)}`}
      />
      <Card data-testid="bank-file-outcomes">
        <Group justify="space-between" mb="sm">
          <Title order={4}>What happened to the credits</Title>
          <Badge
            variant="light"
            color={outcomeTies ? 'teal' : 'red'}
            data-testid="outcomes-tie"
            leftSection={outcomeTies ? <IconCheck size={12} /> : <IconX size={12} />}
          >
            {outcomeTies ? 'outcomes add up to the credits' : `off by ${formatMoney(difference, cur)}`}
          </Badge>
        </Group>
        <SimpleGrid cols={{ base: 2, sm: 6 }} spacing="sm">
          <Figure
            label={`Credits (${file.credit_count})`}
            value={formatMoney(file.credit_total, cur)}
            testId="figure-credits"
          />
          <Figure
            label={`Applied (${file.applied_count})`}
            value={formatMoney(file.applied_amount, cur)}
            color="teal.8"
            testId="figure-applied"
          />
          <Figure
            label="Deductions"
            value={formatMoney(file.deduction_amount, cur)}
            testId="figure-deductions"
          />
          <Figure
            label="On account"
            value={formatMoney(file.on_account_amount, cur)}
            testId="figure-on-account"
          />
          <Figure
            label={`Exceptions (${file.exception_count})`}
            value={formatMoney(file.exception_amount, cur)}
            color={file.exception_count ? 'orange.8' : undefined}
            testId="figure-exceptions"
          />
          <Figure label={`Not matched yet (${file.new_count})`} value={formatMoney(newAmount, cur)} />
        </SimpleGrid>
        {file.exception_count > 0 && (
          <Anchor component={Link} to="/cash-exceptions" size="sm" mt="sm">
            Work the {file.exception_count} exception{file.exception_count === 1 ? '' : 's'} →
          </Anchor>
        )}
      </Card>
      <Card data-testid="bank-statements">
        <Title order={4} mb="sm">
          Statements and control totals
        </Title>
        <Table fz="sm" verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Statement</Table.Th>
              <Table.Th>Bank account</Table.Th>
              <Table.Th>Date</Table.Th>
              <Table.Th ta="right">Credits</Table.Th>
              <Table.Th ta="right">Declared credits</Table.Th>
              <Table.Th ta="right">Debits</Table.Th>
              <Table.Th ta="right">Declared debits</Table.Th>
              <Table.Th ta="right">Declared count</Table.Th>
              <Table.Th>Control totals</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {statements.map((s) => (
              <Table.Tr key={s.statement_no} data-testid="statement-row">
                <Table.Td>{s.statement_no}</Table.Td>
                <Table.Td>{s.account_number ?? ''}</Table.Td>
                <Table.Td>{formatDate(s.statement_date)}</Table.Td>
                <Table.Td ta="right">
                  {formatMoney(s.credit_total, s.currency)}{' '}
                  <Text span size="xs" c="dimmed">
                    ({s.credit_count})
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  {s.declared_credit_total ? formatMoney(s.declared_credit_total, s.currency) : '—'}
                </Table.Td>
                <Table.Td ta="right">
                  {formatMoney(s.debit_total, s.currency)}{' '}
                  <Text span size="xs" c="dimmed">
                    ({s.debit_count})
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  {s.declared_debit_total ? formatMoney(s.declared_debit_total, s.currency) : '—'}
                </Table.Td>
                <Table.Td ta="right">{s.declared_count ?? '—'}</Table.Td>
                <Table.Td>
                  <Ties ties={s.ties} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      <div>
        <Title order={4} mb="sm">
          Credits
        </Title>
        <DataGrid
          testId="bank-credits-grid"
          rows={credits}
          columns={columns}
          rowId={(c) => c.payment_ref}
          height={gridHeight(credits.length)}
          onRowClick={(c) => navigate(creditPath(c.payment_ref))}
        />
      </div>
    </Stack>
  );
}
