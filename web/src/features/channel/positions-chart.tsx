import { Box } from '@mantine/core';
import { useMemo } from 'react';
import { LineChart } from '../../ui/chart-views';
import { formatDate } from '../../ui/dates';
import { formatQty, type PositionPoint } from './channel';

/**
 * The computed position over time as a step line (it changes on the days something happens), with the
 * partner's snapshots as points: a point off the line is a difference.
 */
export function PositionsChart({ series, height = 280 }: { series: PositionPoint[]; height?: number }) {
  const data = useMemo(
    () =>
      series.map((point) => ({
        date: formatDate(point.date),
        position: point.position,
        snapshot: point.snapshot_qty,
      })),
    [series],
  );
  return (
    <Box data-testid="positions-chart">
      <LineChart
        h={height}
        data={data}
        dataKey="date"
        series={[
          { name: 'position', label: 'Computed position', color: 'indigo.6', curveType: 'stepAfter' },
          { name: 'snapshot', label: 'Partner snapshot', color: 'orange.6', curveType: 'linear' },
        ]}
        withLegend
        connectNulls={false}
        valueFormatter={(value) => formatQty(value)}
        lineProps={(item) =>
          item.name === 'snapshot'
            ? {
                strokeWidth: 0,
                dot: { r: 5, fill: 'var(--mantine-color-orange-6)', stroke: 'white', strokeWidth: 2 },
                activeDot: { r: 7 },
              }
            : // The step line alone: a dot on each of a year's days cost the page a fifth of a second to draw.
              { dot: false }
        }
        yAxisProps={{ allowDecimals: false }}
        // About ten dates along the axis, every n-th: left to itself, recharts measures each of a year's date
        // labels in the page to see which fit, a fifth of a second on a laptop.
        xAxisProps={{ interval: Math.max(0, Math.ceil(data.length / 10) - 1) }}
        gridAxis="xy"
      />
    </Box>
  );
}
