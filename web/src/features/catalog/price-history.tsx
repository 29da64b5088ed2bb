import { Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { IconChartLine, IconPlus } from '@tabler/icons-react';
import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { useMemo, useState } from 'react';
import { LineChart } from '../../ui/chart-views';
import { DataGrid, widgetCell } from '../../ui/data-grid';
import { formatDate } from '../../ui/dates';
import { compareAmounts, formatAmount } from '../../ui/money';
import { countryName } from '../accounts/account';
import { type PriceChange, type Product, shortPrice } from './catalog';
import { PriceChangeModal } from './price-change-modal';

const palette = ['indigo.6', 'teal.6', 'orange.6', 'grape.6', 'cyan.6', 'red.6', 'lime.7', 'pink.6'];

/** The product's price changes by country: a step chart of the new prices, and the changes as a table. */
export function PriceHistory({
  product,
  priceChanges,
  mayEdit,
}: {
  product: Product;
  priceChanges: PriceChange[];
  mayEdit: boolean;
}) {
  const [adding, setAdding] = useState(false);
  const sorted = useMemo(
    () =>
      [...priceChanges].sort(
        (a, b) => a.effective_date.localeCompare(b.effective_date) || a.country.localeCompare(b.country),
      ),
    [priceChanges],
  );

  return (
    <Card data-testid="price-history">
      <Group justify="space-between" mb="md">
        <Group gap="xs">
          <IconChartLine size={18} />
          <Title order={3} fz="md" fw={600}>
            Price history
          </Title>
        </Group>
        {mayEdit && (
          <Button
            size="xs"
            variant="light"
            leftSection={<IconPlus size={14} />}
            onClick={() => setAdding(true)}
          >
            Record a price change
          </Button>
        )}
      </Group>
      {sorted.length === 0 ? (
        <Text size="sm" c="dimmed">
          No price changes recorded for this product. They arrive with price_changes.csv imports
          {mayEdit ? ' or can be recorded here' : ''}; price protection programs pay on them.
        </Text>
      ) : (
        <Stack gap="md">
          <PriceChart changes={sorted} />
          <ChangesGrid changes={sorted} />
        </Stack>
      )}
      {adding && <PriceChangeModal product={product} onClose={() => setAdding(false)} />}
    </Card>
  );
}

function PriceChart({ changes }: { changes: PriceChange[] }) {
  const { data, series } = useMemo(() => {
    const keyOf = (change: PriceChange) => `${change.country} (${change.currency})`;
    const keys = [...new Set(changes.map(keyOf))].sort();
    const dates = [...new Set(changes.map((change) => change.effective_date))].sort();
    // The price in effect in each country on each date: its latest change so far, or before its first change
    // the price that change replaced. Plotting needs numbers; the chart only draws them, and every amount
    // shown as text stays a string.
    const inEffect = (key: string, date: string | null): number => {
      const own = changes.filter((change) => keyOf(change) === key);
      const last = date ? own.filter((change) => change.effective_date <= date).at(-1) : undefined;
      return Number(last ? last.new_price : (own[0]?.old_price ?? Number.NaN));
    };
    const row = (label: string, date: string | null) =>
      Object.fromEntries([['label', label], ...keys.map((key) => [key, inEffect(key, date)])]);
    return {
      data: [row('Before', null), ...dates.map((date) => row(formatDate(date), date))],
      series: keys.map((name, index) => ({
        name,
        color: palette[index % palette.length] ?? 'indigo.6',
        curve: 'stepAfter' as const,
      })),
    };
  }, [changes]);

  return (
    <LineChart
      h={220}
      data={data}
      dataKey="label"
      series={series}
      label="The price in effect in each country over time"
      withLegend={series.length > 1}
      valueFormatter={(value) => formatAmount(String(value))}
      data-testid="price-chart"
    />
  );
}

function ChangesGrid({ changes }: { changes: PriceChange[] }) {
  const columns = useMemo<ColDef<PriceChange>[]>(
    () => [
      {
        field: 'effective_date',
        headerName: 'From',
        minWidth: 120,
        sort: 'desc',
        valueFormatter: (params) => formatDate(params.value),
      },
      {
        field: 'country',
        headerName: 'Country',
        minWidth: 130,
        tooltipValueGetter: (params) => countryName(params.value),
      },
      {
        field: 'old_price',
        headerName: 'Old price',
        type: 'rightAligned',
        minWidth: 120,
        valueFormatter: (params) => formatAmount(shortPrice(params.value)),
        comparator: (a, b) => compareAmounts(a, b),
      },
      {
        field: 'new_price',
        headerName: 'New price',
        type: 'rightAligned',
        minWidth: 120,
        valueFormatter: (params) => formatAmount(shortPrice(params.value)),
        comparator: (a, b) => compareAmounts(a, b),
      },
      { field: 'currency', headerName: 'Currency', minWidth: 95, maxWidth: 110 },
      {
        colId: 'direction',
        headerName: 'Change',
        minWidth: 110,
        maxWidth: 130,
        valueGetter: (params) => (params.data ? direction(params.data) : ''),
        cellRenderer: Direction,
        cellClass: widgetCell,
      },
    ],
    [],
  );
  return (
    <DataGrid
      testId="price-changes-grid"
      rows={changes}
      columns={columns}
      rowId={(change) => `${change.country}:${change.effective_date}`}
      height={changes.length <= 8 ? 'auto' : 340}
    />
  );
}

function direction(change: PriceChange): 'Drop' | 'Increase' | 'Same' {
  const order = compareAmounts(change.new_price, change.old_price);
  return order < 0 ? 'Drop' : order > 0 ? 'Increase' : 'Same';
}

function Direction({ data }: ICellRendererParams<PriceChange>) {
  if (!data) return null;
  const value = direction(data);
  return (
    <Badge
      size="sm"
      variant="light"
      color={value === 'Drop' ? 'orange' : value === 'Increase' ? 'teal' : 'gray'}
    >
      {value}
    </Badge>
  );
}
