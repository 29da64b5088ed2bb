import {
  Button,
  Card,
  Group,
  Pagination,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconChartLine, IconDownload, IconPackages } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { type GridQuery, gridQueryParams, noGridQuery } from '../../ui/data-grid';
import { DateInput } from '../../ui/date-input';
import { formatDate } from '../../ui/dates';
import { gridViewsQuery } from '../../ui/grid-views';
import { formatCount } from '../../ui/money';
import { startQuery } from '../../ui/query-client';
import { Segmented } from '../../ui/segmented';
import { Empty, LoadError, Loading } from '../../ui/states';
import type { Account } from '../accounts/account';
import { type DifferenceStatus, exportUrl, formatQty, type PositionSummary } from './channel';
import { DifferencesGrid } from './differences-grid';
import { PositionsChart } from './positions-chart';
import { PositionsGrid } from './positions-grid';
import {
  differencesQuery,
  firstPosition,
  firstPositionsPage,
  positionSeriesQuery,
  positionsQuery,
  useDifferences,
  usePositionSeries,
  usePositions,
} from './use-channel';

/** Positions per page: the list is paged on the server, by account and SKU. */
const positionsPageSize = firstPositionsPage.limit;
/** The monitoring log shows the open differences first. */
const firstStatus: DifferenceStatus = 'open';

/**
 * Starts what PositionView asks for first (its first page of positions, the open differences and its two grids'
 * saved views), for a page's prefetch: every account for the desk (`''`), or one.
 */
export function prefetchPositionView(accountId: string): void {
  // With the chart of the position shown first, which the first page's rows decide.
  startQuery(positionsQuery({ ...firstPositionsPage, accountId }), (page) => {
    const first = firstPosition(page.items);
    if (first) startQuery(positionSeriesQuery(first.account_id, first.sku));
  });
  startQuery(differencesQuery({ accountId, sku: '', status: firstStatus }));
  startQuery(gridViewsQuery('positions-grid'));
  startQuery(gridViewsQuery('differences-grid'));
}

interface Pair {
  accountId: string;
  sku: string;
}

/**
 * Inventory positions for the desk and the portal alike: pick an account (or all), see every SKU's
 * position against the partner's last snapshot, one SKU over time, and the monitoring log.
 */
export function PositionView({
  accounts,
  initialAccountId = '',
  allowAllAccounts,
}: {
  accounts: Pick<Account, 'account_id' | 'name'>[];
  initialAccountId?: string;
  /** The desk may look across every account; the portal picks one of its own. */
  allowAllAccounts: boolean;
}) {
  const [accountId, setAccountId] = useState(initialAccountId);
  const [asOf, setAsOf] = useState('');
  const [status, setStatus] = useState<DifferenceStatus | ''>(firstStatus);
  const validAsOf = /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? asOf : '';

  const [page, setPage] = useState(1);
  // The grid's own sort and column filters, done by the server over every position (and the export).
  const [grid, setGrid] = useState<GridQuery>(noGridQuery);
  const gridParams = gridQueryParams(grid);
  // A new account, date or grid query starts again at the first page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the filters reset the page
  useEffect(() => setPage(1), [accountId, validAsOf, grid]);
  const positions = usePositions({
    ...gridParams,
    accountId,
    asOf: validAsOf,
    limit: positionsPageSize,
    offset: (page - 1) * positionsPageSize,
  });
  const pages = Math.max(1, Math.ceil((positions.data?.total ?? 0) / positionsPageSize));
  const differences = useDifferences({ accountId, sku: '', status });

  // The user's pick while the filters show it; else the first SKU with an open difference, or the first SKU.
  // Worked out as the rows are drawn (not in an effect after), so the chart's data is asked for with them.
  const [picked, setPair] = useState<Pair | null>(null);
  const rows = positions.data?.items;
  const first = rows && firstPosition(rows);
  const pair =
    picked && rows?.some((r) => r.account_id === picked.accountId && r.sku === picked.sku)
      ? picked
      : first
        ? { accountId: first.account_id, sku: first.sku }
        : null;

  const accountOptions = useMemo(
    () => accounts.map((a) => ({ value: a.account_id, label: `${a.name} (${a.account_id})` })),
    [accounts],
  );
  const selectedRow = rows?.find((r) => pair && r.account_id === pair.accountId && r.sku === pair.sku);

  return (
    <Stack gap="lg">
      <Group align="flex-end" justify="space-between" wrap="wrap">
        <Group align="flex-end" wrap="wrap">
          <Select
            label="Account"
            placeholder={allowAllAccounts ? 'All accounts' : 'Pick an account'}
            data={accountOptions}
            value={accountId || null}
            onChange={(value) => setAccountId(value ?? '')}
            searchable
            clearable={allowAllAccounts}
            w={300}
            data-testid="positions-account"
          />
          <DateInput
            label="As of"
            value={asOf}
            onChange={(event) => setAsOf(event.currentTarget.value)}
            description={validAsOf ? undefined : 'Today'}
            w={170}
          />
        </Group>
        <Button
          component="a"
          href={exportUrl(accountId, validAsOf, gridParams)}
          download
          variant="default"
          leftSection={<IconDownload size={16} />}
          data-testid="positions-export"
        >
          Export XLSX
        </Button>
      </Group>

      <Card>
        {pair ? (
          <PairChart pair={pair} row={selectedRow} />
        ) : (
          <Empty
            icon={<IconChartLine size={22} stroke={1.5} />}
            title="No position to chart"
            description="Positions appear once sell-in, sell-out or inventory reports are loaded for the account."
          />
        )}
      </Card>

      <Stack gap="xs">
        <Title order={4} fw={600}>
          Positions by SKU
        </Title>
        {positions.isPending ? (
          <Loading label="Computing positions…" />
        ) : positions.isError ? (
          <LoadError error={positions.error} retry={() => void positions.refetch()} what="positions" />
        ) : (
          <>
            <PositionsGrid
              positions={positions.data.items}
              showAccount={!accountId}
              onQuery={setGrid}
              onSelect={(row: PositionSummary) => setPair({ accountId: row.account_id, sku: row.sku })}
              empty={
                <Paper withBorder>
                  <Empty
                    icon={<IconPackages size={22} stroke={1.5} />}
                    title="No channel data"
                    description="Nothing was bought, sold or reported on hand up to this date."
                  />
                </Paper>
              }
            />
            {positions.data.total > 0 && (
              <Group justify="space-between">
                <Text size="xs" c="dimmed" data-testid="positions-total">
                  {formatCount(positions.data.total)} position{positions.data.total === 1 ? '' : 's'}
                  {pages > 1 ? ' · by account and SKU, a page at a time' : ''}
                </Text>
                {pages > 1 && (
                  <Pagination size="sm" total={pages} value={Math.min(page, pages)} onChange={setPage} />
                )}
              </Group>
            )}
          </>
        )}
      </Stack>

      <Stack gap="xs">
        <Group justify="space-between" align="flex-end">
          <div>
            <Title order={4} fw={600}>
              Account monitoring log
            </Title>
            <Text size="sm" c="dimmed">
              Every snapshot that differs from the computed position, when it was found and whether it still
              stands.
            </Text>
          </div>
          <Segmented
            value={status || 'all'}
            onChange={(value) => setStatus(value === 'all' ? '' : (value as DifferenceStatus))}
            data={[
              { value: 'open', label: 'Open' },
              { value: 'resolved', label: 'Resolved' },
              { value: 'all', label: 'All' },
            ]}
          />
        </Group>
        {differences.isPending ? (
          <Loading label="Loading the log…" />
        ) : differences.isError ? (
          <LoadError error={differences.error} retry={() => void differences.refetch()} what="the log" />
        ) : (
          <DifferencesGrid
            differences={differences.data.items}
            showAccount={!accountId}
            empty={
              <Paper withBorder>
                <Empty
                  title={status === 'open' ? 'No open differences' : 'Nothing logged'}
                  description="Snapshots that agree with the computed position leave no entry."
                />
              </Paper>
            }
          />
        )}
      </Stack>
    </Stack>
  );
}

function PairChart({ pair, row }: { pair: Pair; row: PositionSummary | undefined }) {
  const series = usePositionSeries(pair.accountId, pair.sku);
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={4} fw={600}>
            {pair.sku}
            {row?.product_name ? ` · ${row.product_name}` : ''}
          </Title>
          <Text size="sm" c="dimmed">
            Account {pair.accountId}: opening + sell-in − sell-out − credited, against the partner's snapshots
          </Text>
        </div>
        {row && (
          <SimpleGrid cols={3} spacing="lg">
            <Figure label="Position" value={formatQty(row.position)} />
            <Figure
              label={row.last_snapshot_date ? `Reported ${formatDate(row.last_snapshot_date)}` : 'Reported'}
              value={formatQty(row.last_snapshot_qty)}
            />
            <Figure label="Difference" value={formatQty(row.last_snapshot_difference, true)} />
          </SimpleGrid>
        )}
      </Group>
      {series.isPending ? (
        <Loading label="Loading the position over time…" />
      ) : series.isError ? (
        <LoadError error={series.error} retry={() => void series.refetch()} what="the position" />
      ) : (
        <PositionsChart series={series.data.series} />
      )}
    </Stack>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} size="lg">
        {value || '—'}
      </Text>
    </div>
  );
}
