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
          { name: 'position', label: 'Computed position', color: 'indigo.6', curve: 'stepAfter' },
          { name: 'snapshot', label: 'Partner snapshot', color: 'orange.6', dotsOnly: true },
        ]}
        label="The computed position over time, with the partner's snapshots as points"
        withLegend
        valueFormatter={(value) => formatQty(value)}
        wholeNumbers
      />
    </Box>
  );
}
