import {
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPresentation } from '@tabler/icons-react';
import type { ColDef } from 'ag-grid-community';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { reasonLabels, recommendationColors } from '../features/credit/credit';
import { sessionUser, useUser } from '../features/identity/session';
import { hasAnyRole } from '../features/identity/user';
import { todayDate } from '../features/receivables/receivables';
import {
  commentWriters,
  lastMonthEnd,
  packetManagers,
  type Top40Account,
  thisMonth,
  type WwchRow,
} from '../features/reviews/reviews';
import {
  reviewPacketsQuery,
  top40Query,
  useMakePacket,
  useReviewPackets,
  useSaveComment,
  useTop40,
  useWwch,
  wwchQuery,
} from '../features/reviews/use-reviews';
import { formMessage } from '../ui/api';
import { DataGrid, widgetCell } from '../ui/data-grid';
import { DateInput } from '../ui/date-input';
import { formatDate, formatTimestamp } from '../ui/dates';
import { ExportMenu } from '../ui/export-menu';
import { amountColumn } from '../ui/grid-columns';
import { gridViewsQuery } from '../ui/grid-views';
import { formatMoney } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { startAfter, startQuery } from '../ui/query-client';
import { SearchBox } from '../ui/search-box';
import { Empty, LoadError, Loading } from '../ui/states';

/** The tab the address opens (the Top 40 by default). */
const openTab = (params: URLSearchParams): string => params.get('tab') ?? 'top40';

/**
 * What the page shows first, on the tab the address opens: the Top 40 of the address's month end (or the last
 * one) with its grid's saved views; today's credit holds with theirs; or, for the managers, the WD8 packets made.
 */
export function prefetch(url: URL): void {
  const params = url.searchParams;
  const tab = openTab(params);
  if (tab === 'top40') {
    startQuery(top40Query(params.get('as_of') ?? lastMonthEnd()));
    startQuery(gridViewsQuery('top40-grid'));
  } else if (tab === 'wwch') {
    startQuery(wwchQuery(todayDate()));
    startQuery(gridViewsQuery('wwch-grid'));
  } else if (tab === 'wd8') {
    startAfter(sessionUser(), (user) => {
      if (user && hasAnyRole(user, packetManagers)) startQuery(reviewPacketsQuery);
    });
  }
}

/**
 * The AR review: the Top 40 past-due accounts as of a month end in the reporting currency, each with its
 * buckets, collector, oldest item, last action, open promise and the comment its collector writes before the
 * review; the worldwide credit-hold review (WWCH); and the WD8 packets (download, or make and e-mail one).
 */
export default function ReviewsPage() {
  const [params, setParams] = useSearchParams();
  const tab = openTab(params);
  const [asOf, setAsOf] = useState(params.get('as_of') ?? lastMonthEnd());
  const [search, setSearch] = useState('');
  return (
    <>
      <PageHeader
        title="Reviews"
        description="The Top 40 past-due accounts for the review, with the collectors’ comments; the worldwide credit-hold review; the WD8 packets."
        actions={
          tab === 'top40' && (
            <Group gap="xs">
              <SearchBox value={search} onChange={setSearch} placeholder="Search accounts" />
              <DateInput
                value={asOf}
                onChange={(e) => e.currentTarget.value && setAsOf(e.currentTarget.value)}
                aria-label="As of"
                data-testid="top40-as-of"
              />
              <ExportMenu
                files={[
                  { label: 'top40.csv', href: `/api/reviews/top40/export?as_of=${asOf}&format=csv` },
                  {
                    label: 'Top 40 with comments (XLSX)',
                    href: `/api/reviews/top40/export?as_of=${asOf}&format=xlsx`,
                  },
                ]}
              />
            </Group>
          )
        }
      />
      <Tabs
        value={tab}
        onChange={(v) => setParams(v === 'top40' ? {} : { tab: v ?? '' })}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="top40">Top 40</Tabs.Tab>
          <Tabs.Tab value="wwch">Credit holds (WWCH)</Tabs.Tab>
          <Tabs.Tab value="wd8">WD8 packets</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="top40">
          <Top40Panel asOf={asOf} search={search} />
        </Tabs.Panel>
        <Tabs.Panel value="wwch">
          <WwchPanel />
        </Tabs.Panel>
        <Tabs.Panel value="wd8">
          <PacketsPanel />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

function CommentCell({ data }: { data?: Top40Account }) {
  if (!data) return null;
  if (!data.review_comment)
    return (
      <Text size="xs" c="dimmed" fs="italic">
        No comment yet
      </Text>
    );
  return (
    <Text size="xs" truncate title={data.review_comment.comment}>
      {data.review_comment.comment}
    </Text>
  );
}

function Top40Panel({ asOf, search }: { asOf: string; search: string }) {
  const top = useTop40(asOf);
  const [open, setOpen] = useState<string | null>(null);
  const columns = useMemo<ColDef<Top40Account>[]>(
    () => [
      { field: 'rank', headerName: '#', minWidth: 50, maxWidth: 58, type: 'rightAligned' },
      {
        field: 'account_id',
        headerName: 'Account',
        minWidth: 170,
        flex: 1.2,
        valueGetter: (p) => (p.data ? `${p.data.account_id} · ${p.data.name}` : ''),
        tooltipValueGetter: (p) =>
          p.data ? `${p.data.account_id} · ${p.data.name} (${p.data.country})` : '',
      },
      {
        ...amountColumn<Top40Account>('past_due', 'Past due', 110),
        cellStyle: { fontWeight: 600 },
      },
      amountColumn<Top40Account>('d1_30', '1–30', 84),
      amountColumn<Top40Account>('d31_60', '31–60', 84),
      amountColumn<Top40Account>('d61_90', '61–90', 84),
      amountColumn<Top40Account>('d91_120', '91–120', 84),
      amountColumn<Top40Account>('d121_plus', 'Over 120', 88),
      { field: 'collector', headerName: 'Collector', minWidth: 90, maxWidth: 130 },
      {
        colId: 'comment',
        headerName: 'Comment for the review',
        minWidth: 240,
        flex: 2,
        cellClass: widgetCell,
        cellRenderer: CommentCell,
        getQuickFilterText: (p) => p.data?.review_comment?.comment ?? '',
      },
      {
        field: 'oldest_due_date',
        headerName: 'Oldest item due',
        minWidth: 110,
        valueFormatter: (p) => formatDate(p.value),
      },
      {
        colId: 'last_action',
        headerName: 'Last action',
        minWidth: 200,
        valueGetter: (p) =>
          p.data?.last_action
            ? `${formatDate(p.data.last_action.occurred_at.slice(0, 10))} ${p.data.last_action.kind}: ${p.data.last_action.body}`
            : '',
      },
      {
        colId: 'open_promise',
        headerName: 'Open promise',
        minWidth: 170,
        valueGetter: (p) =>
          p.data?.open_promise
            ? `${formatMoney(p.data.open_promise.amount, p.data.open_promise.currency)} by ${formatDate(p.data.open_promise.promised_date)}`
            : '',
      },
    ],
    [],
  );
  if (top.isPending) return <Loading label="Loading the Top 40…" />;
  if (top.isError) return <LoadError error={top.error} retry={() => void top.refetch()} what="the Top 40" />;
  const commented = top.data.accounts.filter((a) => a.review_comment).length;
  const chosen = top.data.accounts.find((a) => a.account_id === open);
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed" data-testid="top40-summary">
        {top.data.accounts.length} account{top.data.accounts.length === 1 ? '' : 's'} past due as of{' '}
        {formatDate(top.data.as_of)}, in {top.data.currency}; {commented} with a comment for the review. Open
        an account to write its comment.
      </Text>
      <DataGrid<Top40Account>
        rows={top.data.accounts}
        columns={columns}
        rowId={(a) => a.account_id}
        testId="top40-grid"
        search={search}
        onRowClick={(a) => setOpen(a.account_id)}
        height={top.data.accounts.length <= 20 ? 'auto' : 'calc(100vh - 280px)'}
        empty={
          <Paper withBorder>
            <Empty
              icon={<IconPresentation size={22} stroke={1.5} />}
              title="Nothing past due"
              description="No account had anything past due on this date."
            />
          </Paper>
        }
      />
      {chosen && (
        <CommentModal
          account={chosen}
          asOf={top.data.as_of}
          currency={top.data.currency}
          onClose={() => setOpen(null)}
        />
      )}
    </Stack>
  );
}

function CommentModal({
  account,
  asOf,
  currency,
  onClose,
}: {
  account: Top40Account;
  asOf: string;
  currency: string;
  onClose: () => void;
}) {
  const user = useUser();
  const save = useSaveComment();
  const [comment, setComment] = useState(account.review_comment?.comment ?? '');
  const mayWrite = hasAnyRole(user, commentWriters);
  const facts: [string, string][] = [
    ['Past due', formatMoney(account.past_due, currency)],
    ['Collector', account.collector ?? '—'],
    ['Oldest item due', formatDate(account.oldest_due_date)],
    [
      'Open promise',
      account.open_promise
        ? `${formatMoney(account.open_promise.amount, account.open_promise.currency)} by ${formatDate(account.open_promise.promised_date)}`
        : 'none',
    ],
  ];
  return (
    <Modal
      opened
      onClose={onClose}
      size="lg"
      title={`#${account.rank} ${account.account_id} · ${account.name}`}
    >
      <Stack>
        <SimpleGrid cols={4} spacing="xs">
          {facts.map(([label, value]) => (
            <div key={label}>
              <Text size="xs" c="dimmed">
                {label}
              </Text>
              <Text size="sm" fw={500}>
                {value}
              </Text>
            </div>
          ))}
        </SimpleGrid>
        <Text size="sm">
          <Text span c="dimmed">
            Last action:{' '}
          </Text>
          {account.last_action
            ? `${formatTimestamp(account.last_action.occurred_at)} ${account.last_action.kind} by ${account.last_action.actor} — ${account.last_action.body}`
            : 'none'}
        </Text>
        <Textarea
          label={`Comment for the review of ${formatDate(asOf)}`}
          description="What happened, what was agreed and what comes next; it goes into the WD8 packet."
          autosize
          minRows={4}
          maxLength={4000}
          value={comment}
          readOnly={!mayWrite}
          onChange={(e) => setComment(e.currentTarget.value)}
          data-testid="review-comment"
        />
        {account.review_comment && (
          <Text size="xs" c="dimmed">
            Written by {account.review_comment.written_by},{' '}
            {formatTimestamp(account.review_comment.written_at)}
          </Text>
        )}
        {save.error && (
          <Text c="red" size="sm">
            {formMessage(save.error, [])}
          </Text>
        )}
        {mayWrite && (
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button
              disabled={!comment.trim()}
              loading={save.isPending}
              onClick={() =>
                save.mutate(
                  { accountId: account.account_id, asOf, comment: comment.trim() },
                  {
                    onSuccess: () => {
                      notifications.show({ message: `Comment on ${account.account_id} saved.` });
                      onClose();
                    },
                  },
                )
              }
            >
              Save comment
            </Button>
          </Group>
        )}
      </Stack>
    </Modal>
  );
}

function RecommendationCell({ data }: { data?: WwchRow }) {
  if (!data) return null;
  const reasons = data.reasons.map((r) => reasonLabels[r] ?? r).join('; ');
  return (
    <Group gap={6} wrap="nowrap" title={reasons || undefined}>
      <Badge color={recommendationColors[data.recommendation]} variant="light" style={{ flexShrink: 0 }}>
        {data.recommendation}
      </Badge>
      <Text size="xs" c="dimmed" truncate>
        {reasons}
      </Text>
    </Group>
  );
}

function WwchPanel() {
  const [asOf, setAsOf] = useState(todayDate());
  const holds = useWwch(asOf, true);
  const columns = useMemo<ColDef<WwchRow>[]>(() => {
    const money = (field: keyof WwchRow, name: string): ColDef<WwchRow> => ({
      ...amountColumn<WwchRow>(field, name, field === 'hold_amount' ? 150 : 115),
      valueFormatter: (p) =>
        formatMoney(p.value as string | null, field === 'hold_amount' ? p.data?.currency : null),
    });
    return [
      {
        field: 'account_id',
        headerName: 'Account',
        minWidth: 190,
        flex: 1.4,
        valueGetter: (p) => (p.data ? `${p.data.account_id} · ${p.data.name}` : ''),
      },
      { field: 'country', headerName: 'Country', minWidth: 95, maxWidth: 105 },
      { field: 'collector', headerName: 'Collector', minWidth: 120, flex: 0.6 },
      { field: 'orders', headerName: 'Orders', type: 'rightAligned', minWidth: 95, maxWidth: 105 },
      money('hold_amount', 'On hold'),
      money('exposure', 'Exposure'),
      money('credit_limit', 'Limit'),
      money('available_credit', 'Available'),
      { field: 'max_days_past_due', headerName: 'Days past due', type: 'rightAligned', minWidth: 90 },
      {
        field: 'recommendation',
        headerName: 'Recommendation',
        minWidth: 220,
        flex: 1.6,
        cellClass: widgetCell,
        cellRenderer: RecommendationCell,
      },
    ];
  }, []);
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Every account with orders on hold, in every country, with the strictest recommendation of its
          orders. The credit team releases or keeps orders on the Credit page.
        </Text>
        <DateInput
          value={asOf}
          onChange={(e) => e.currentTarget.value && setAsOf(e.currentTarget.value)}
          aria-label="Credit holds as of"
        />
      </Group>
      {holds.isPending ? (
        <Loading label="Loading the credit holds…" />
      ) : holds.isError ? (
        <LoadError error={holds.error} retry={() => void holds.refetch()} what="the credit holds" />
      ) : (
        <DataGrid<WwchRow>
          rows={holds.data.accounts}
          columns={columns}
          rowId={(r) => `${r.account_id}-${r.currency}`}
          testId="wwch-grid"
          height={holds.data.accounts.length <= 20 ? 'auto' : 'calc(100vh - 300px)'}
          empty={
            <Paper withBorder>
              <Empty
                icon={<IconPresentation size={22} stroke={1.5} />}
                title="No orders on hold"
                description="No account has an order held for credit on this day."
              />
            </Paper>
          }
        />
      )}
    </Stack>
  );
}

function PacketsPanel() {
  const user = useUser();
  const mayMake = hasAnyRole(user, packetManagers);
  const packets = useReviewPackets(mayMake);
  const make = useMakePacket();
  const [month, setMonth] = useState(thisMonth());
  const [country, setCountry] = useState('');
  const query = `month=${month}${country ? `&country=${country}` : ''}`;
  return (
    <Stack>
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Text size="sm">
            The packet of the review held on a month’s 8th working day: the aging at the end of the month
            before against the month end before that, the Top 40 with the comments, the credit-hold review,
            the write-offs and adjustments of the month before, open deductions by queue and the measures.
            Clearhouse makes it on each country’s 8th working day and e-mails it to the managers.
          </Text>
          <Group align="flex-end">
            <TextInput
              label="Month of the review"
              type="month"
              value={month}
              onChange={(e) => e.currentTarget.value && setMonth(e.currentTarget.value)}
            />
            <TextInput
              label="Country"
              placeholder="All"
              w={90}
              maxLength={2}
              value={country}
              onChange={(e) => setCountry(e.currentTarget.value.toUpperCase())}
            />
            <Button component="a" variant="default" href={`/api/reviews/wd8?${query}&format=pdf`}>
              PDF
            </Button>
            <Button component="a" variant="default" href={`/api/reviews/wd8?${query}&format=xlsx`}>
              XLSX
            </Button>
            {mayMake && (
              <Button
                disabled={country.length !== 2}
                loading={make.isPending}
                title={country.length !== 2 ? 'Choose a country' : undefined}
                onClick={() =>
                  make.mutate(
                    { month, country },
                    {
                      onSuccess: (p) =>
                        notifications.show({
                          message: p.email_id
                            ? `The WD8 packet ${p.month} · ${p.country} was e-mailed to the managers.`
                            : `The WD8 packet ${p.month} · ${p.country} is filed.`,
                        }),
                    },
                  )
                }
              >
                Make and e-mail
              </Button>
            )}
          </Group>
          {make.error && (
            <Text c="red" size="sm">
              {formMessage(make.error, [])}
            </Text>
          )}
        </Stack>
      </Paper>
      {mayMake && packets.data && packets.data.packets.length > 0 && (
        <Table striped withTableBorder data-testid="wd8-packets">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Month</Table.Th>
              <Table.Th>Country</Table.Th>
              <Table.Th>Review day</Table.Th>
              <Table.Th>Made</Table.Th>
              <Table.Th>Files</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {packets.data.packets.map((p) => (
              <Table.Tr key={`${p.country}-${p.month}`}>
                <Table.Td>{p.month}</Table.Td>
                <Table.Td>{p.country}</Table.Td>
                <Table.Td>{formatDate(p.review_date)}</Table.Td>
                <Table.Td>
                  {formatTimestamp(p.generated_at)} by {p.generated_by}
                </Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    {p.pdf_document_id && <a href={`/api/documents/${p.pdf_document_id}/content`}>PDF</a>}
                    {p.xlsx_document_id && <a href={`/api/documents/${p.xlsx_document_id}/content`}>XLSX</a>}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
