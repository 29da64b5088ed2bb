import { Badge, Button, Group, Modal, Paper, Stack, Tabs, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconShieldDollar } from '@tabler/icons-react';
import type { ColDef } from 'ag-grid-community';
import { type ReactNode, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  creditDeciders,
  type LimitRequest,
  limitApprovers,
  type PendOrder,
  reasonLabels,
  recommendationColors,
} from '../features/credit/credit';
import { OrderModal } from '../features/credit/order-modal';
import {
  creditReportQuery,
  limitRequestsQuery,
  useCreditReport,
  useDecideLimit,
  useLimitRequests,
} from '../features/credit/use-credit';
import { useUser } from '../features/identity/session';
import { hasAnyRole } from '../features/identity/user';
import { todayDate } from '../features/receivables/receivables';
import { formMessage } from '../ui/api';
import { DataGrid, widgetCell } from '../ui/data-grid';
import { DateInput } from '../ui/date-input';
import { formatDate, formatTimestamp } from '../ui/dates';
import { ExportMenu } from '../ui/export-menu';
import { amountColumn } from '../ui/grid-columns';
import { gridViewsQuery } from '../ui/grid-views';
import { formatMoney } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { SearchBox } from '../ui/search-box';
import { Empty, LoadError, Loading } from '../ui/states';

/** The recommendation with its reasons in the users' words (the codes are in credit_pend.csv). */
function Recommendation({ data }: { data?: PendOrder }) {
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

/** The tab the address opens: the limit requests when it names one, else its tab (the orders on hold). */
const openTab = (params: URLSearchParams): string =>
  params.get('request') ? 'requests' : (params.get('tab') ?? 'orders');

/**
 * What the page shows first: today's credit-pend report, and the grid of the tab the address opens (the orders
 * on hold, or the limit requests with their list).
 */
export function prefetch(url: URL): void {
  const params = url.searchParams;
  const tab = openTab(params);
  startQuery(creditReportQuery(todayDate()));
  if (tab === 'orders') startQuery(gridViewsQuery('credit-grid'));
  if (tab === 'requests') {
    startQuery(limitRequestsQuery);
    startQuery(gridViewsQuery('credit-limit-requests'));
  }
}

/**
 * The credit team's page: the daily credit-pend report — every order on hold with its account's limit,
 * exposure, available credit, past due and the recommendation with its reasons; an order opens beside its
 * account's payments, promises and the collector's latest note, to release or keep with a comment. The limit
 * requests waiting for approval are on their own tab.
 */
export default function CreditPage() {
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const [asOf, setAsOf] = useState(todayDate());
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const report = useCreditReport(asOf);
  const tab = openTab(params);
  const mayDecide = hasAnyRole(user, creditDeciders);

  const columns = useMemo<ColDef<PendOrder>[]>(() => {
    const money = (field: keyof PendOrder, headerName: string): ColDef<PendOrder> => ({
      ...amountColumn<PendOrder>(field, headerName, 105),
      // The currency once, with the order's amount; the account's figures are in the same currency.
      valueFormatter: (p) =>
        formatMoney(p.value as string | null, field === 'amount' ? p.data?.currency : null),
    });
    return [
      { field: 'order_id', headerName: 'Order', minWidth: 85, maxWidth: 110 },
      {
        field: 'account_id',
        headerName: 'Account',
        minWidth: 150,
        flex: 1.2,
        valueGetter: (p) => {
          const name = report.data?.accounts.find((a) => a.account_id === p.data?.account_id)?.name;
          return p.data ? `${p.data.account_id}${name ? ` · ${name}` : ''}` : '';
        },
      },
      {
        field: 'order_date',
        headerName: 'Ordered',
        minWidth: 95,
        maxWidth: 120,
        valueFormatter: (p) => formatDate(p.value),
      },
      // Wide enough for 1,234,567.89 EUR: an amount is never cut.
      { ...money('amount', 'Amount'), minWidth: 150 },
      money('credit_limit', 'Credit limit'),
      money('exposure', 'Exposure'),
      {
        ...money('available_credit', 'Available'),
        cellStyle: (p) => ({
          color: String(p.value ?? '').startsWith('-') ? 'var(--mantine-color-red-7)' : 'inherit',
        }),
      },
      {
        field: 'max_days_past_due',
        headerName: 'Days past due',
        type: 'rightAligned',
        minWidth: 80,
        maxWidth: 110,
      },
      {
        field: 'recommendation',
        headerName: 'Recommendation',
        minWidth: 210,
        flex: 1.6,
        cellClass: widgetCell,
        cellRenderer: Recommendation,
        getQuickFilterText: (p) => `${p.data?.recommendation} ${p.data?.reasons.join(' ')}`,
      },
    ];
  }, [report.data]);

  const exportUrl = (format: 'csv' | 'xlsx') => `/api/credit/report/export?as_of=${asOf}&format=${format}`;
  let orders: ReactNode;
  if (report.isPending) orders = <Loading label="Loading the credit-pend report…" />;
  else if (report.isError)
    orders = (
      <LoadError error={report.error} retry={() => void report.refetch()} what="the credit-pend report" />
    );
  else
    orders = (
      <Stack gap="sm">
        <Group gap="xs" data-testid="credit-counts">
          <Text size="sm" c="dimmed">
            {report.data.orders.length} order{report.data.orders.length === 1 ? '' : 's'} on hold as of{' '}
            {formatDate(report.data.as_of)}:
          </Text>
          {(['release', 'review', 'hold'] as const).map((r) => (
            <Badge key={r} color={recommendationColors[r]} variant="light">
              {report.data.counts[r]} {r}
            </Badge>
          ))}
        </Group>
        <DataGrid<PendOrder>
          rows={report.data.orders}
          columns={columns}
          rowId={(o) => o.order_id}
          testId="credit-grid"
          search={search}
          onRowClick={(o) => setOpen(o.order_id)}
          height={report.data.orders.length <= 14 ? 'auto' : undefined}
          empty={
            <Paper withBorder>
              <Empty
                icon={<IconShieldDollar size={22} stroke={1.5} />}
                title="No orders on hold"
                description="Orders the ERP holds for credit arrive through Imports (orders_on_hold.csv) or the API."
              />
            </Paper>
          }
        />
      </Stack>
    );
  const openOrder = report.data?.orders.find((o) => o.order_id === open);

  return (
    <>
      <PageHeader
        title="Credit"
        description="Orders on hold with each account’s limit, exposure and available credit, and what the credit-pend report recommends. Open an order to release it or keep it on hold with a comment."
        actions={
          <Group gap="xs">
            <SearchBox value={search} onChange={setSearch} placeholder="Search orders" />
            <DateInput
              value={asOf}
              onChange={(e) => e.currentTarget.value && setAsOf(e.currentTarget.value)}
              aria-label="As of"
              data-testid="credit-as-of"
            />
            <ExportMenu
              files={[
                { label: 'credit_pend.csv', href: exportUrl('csv') },
                { label: 'credit_pend.xlsx', href: exportUrl('xlsx') },
                { label: 'credit_releases.csv (for the ERP)', href: '/api/credit/releases/export' },
              ]}
            />
          </Group>
        }
      />
      <Tabs
        value={tab}
        onChange={(v) => setParams(v === 'orders' ? {} : { tab: v ?? '' })}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="orders">Orders on hold</Tabs.Tab>
          <Tabs.Tab value="requests">Limit requests</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="orders">{orders}</Tabs.Panel>
        <Tabs.Panel value="requests">
          <LimitRequests highlight={params.get('request')} mayDecide={hasAnyRole(user, limitApprovers)} />
        </Tabs.Panel>
      </Tabs>
      {openOrder && report.data && (
        <OrderModal
          order={openOrder}
          report={report.data}
          mayDecide={mayDecide}
          onClose={() => setOpen(null)}
        />
      )}
    </>
  );
}

function LimitRequests({ highlight, mayDecide }: { highlight: string | null; mayDecide: boolean }) {
  const requests = useLimitRequests();
  const [open, setOpen] = useState<string | null>(highlight);
  const columns = useMemo<ColDef<LimitRequest>[]>(
    () => [
      { field: 'request_id', headerName: 'Request', minWidth: 110 },
      {
        field: 'account_id',
        headerName: 'Account',
        minWidth: 190,
        flex: 1.5,
        valueGetter: (p) => (p.data ? `${p.data.account_id} · ${p.data.account_name ?? ''}` : ''),
      },
      { field: 'currency', headerName: 'Cur.', minWidth: 70, maxWidth: 80 },
      amountColumn<LimitRequest>('current_amount', 'Current limit', 130),
      amountColumn<LimitRequest>('new_amount', 'New limit', 130),
      { field: 'comment', headerName: 'Why', minWidth: 200, flex: 2 },
      { field: 'status', headerName: 'Status', minWidth: 100 },
      { field: 'requested_by_name', headerName: 'Requested by', minWidth: 130 },
      {
        field: 'requested_at',
        headerName: 'Requested',
        minWidth: 150,
        valueFormatter: (p) => formatTimestamp(p.value),
      },
    ],
    [],
  );
  if (requests.isPending) return <Loading label="Loading limit requests…" />;
  if (requests.isError)
    return (
      <LoadError error={requests.error} retry={() => void requests.refetch()} what="the limit requests" />
    );
  const chosen = requests.data.items.find((r) => r.request_id === open);
  return (
    <>
      <DataGrid<LimitRequest>
        rows={requests.data.items}
        columns={columns}
        rowId={(r) => r.request_id}
        testId="credit-limit-requests"
        onRowClick={(r) => setOpen(r.request_id)}
        height={requests.data.items.length <= 14 ? 'auto' : undefined}
        empty={
          <Paper withBorder>
            <Empty
              icon={<IconShieldDollar size={22} stroke={1.5} />}
              title="No limit requests"
              description="Ask for a new credit limit from the account’s page; an approver decides it."
            />
          </Paper>
        }
      />
      {chosen && <DecideLimitModal request={chosen} mayDecide={mayDecide} onClose={() => setOpen(null)} />}
    </>
  );
}

function DecideLimitModal({
  request,
  mayDecide,
  onClose,
}: {
  request: LimitRequest;
  mayDecide: boolean;
  onClose: () => void;
}) {
  const decide = useDecideLimit();
  const [comment, setComment] = useState('');
  const submit = (decision: 'approve' | 'refuse') =>
    decide.mutate(
      { id: request.request_id, decision, comment: comment.trim() },
      {
        onSuccess: (r) => {
          notifications.show({ message: `${r.request_id}: ${r.status}.` });
          onClose();
        },
      },
    );
  return (
    <Modal opened onClose={onClose} title={`Credit limit request ${request.request_id}`}>
      <Stack>
        <Text size="sm">
          {request.account_id} · {request.account_name}: {request.currency} {request.current_amount ?? 'none'}{' '}
          → <b>{request.new_amount}</b>
        </Text>
        <Text size="sm" c="dimmed">
          “{request.comment}” — {request.requested_by_name}, {formatTimestamp(request.requested_at)}
        </Text>
        {request.status !== 'pending' ? (
          <Badge>{request.status}</Badge>
        ) : (
          mayDecide && (
            <>
              <Textarea
                label="Comment"
                description="Required to refuse."
                value={comment}
                onChange={(e) => setComment(e.currentTarget.value)}
              />
              {decide.error && (
                <Text c="red" size="sm">
                  {formMessage(decide.error, [])}
                </Text>
              )}
              <Group justify="flex-end">
                <Button
                  variant="default"
                  color="red"
                  onClick={() => submit('refuse')}
                  loading={decide.isPending}
                >
                  Refuse
                </Button>
                <Button onClick={() => submit('approve')} loading={decide.isPending}>
                  Approve
                </Button>
              </Group>
            </>
          )
        )}
      </Stack>
    </Modal>
  );
}
