/**
 * The charts' code (Chart.js, drawing on a canvas), loaded apart from the pages: see chart-views.tsx. A canvas
 * chart costs a page a few milliseconds to draw; the SVG charts before it drew every tick, dot and bar as
 * React elements, a tenth of a second a chart.
 */

import { DEFAULT_THEME } from '@mantine/core';
import {
  BarController,
  BarElement,
  CategoryScale,
  type ChartDataset,
  type ChartEvent,
  Chart as ChartJS,
  type ChartOptions,
  type ChartType,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  type Scale,
  Tooltip,
} from 'chart.js';
import { useMemo, useRef } from 'react';
import { Chart } from 'react-chartjs-2';
import type { BarChartProps, ChartRow, ChartSeries, LineChartProps } from './chart-views';
import { fontFamily } from './fonts';
import { formatNumber } from './money';

ChartJS.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);

// The page's own look from Mantine's palette and the app's font, as values: reading them from the page's CSS
// variables would make the browser compute every style of the page first.
/** A Mantine colour ('indigo.6') as CSS; anything else (a hex colour) as it is. */
function colour(name: string): string {
  const [hue, shade] = name.split('.');
  return (hue && shade && DEFAULT_THEME.colors[hue]?.[Number(shade)]) || name;
}

ChartJS.defaults.font.family = fontFamily;
ChartJS.defaults.font.size = 12;
ChartJS.defaults.color = colour('gray.6'); // Mantine's dimmed text
ChartJS.defaults.animation = false;

/** A row's value as a plotted number; nothing (a gap) where the row has none. */
function plotted(value: ChartRow[string]): number | null {
  if (value === null || value === undefined || value === '') return null;
  const number = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(number) ? number : null;
}

/** A plotted figure in the user's locale, with the decimals it has (up to two). */
function figure(value: number): string {
  const decimals = Number.isInteger(value) ? 0 : Number.isInteger(Math.round(value * 1e6) / 1e5) ? 1 : 2;
  return formatNumber(value, decimals);
}

const shortLabel = (label: string, room: number) =>
  label.length > room ? `${label.slice(0, room - 1)}…` : label;

/** What the tooltip's callbacks read of an item, on either kind of chart. */
type Tip = { parsed: Record<'x' | 'y', number | null>; dataset: { label?: string } };

type Common<Row extends ChartRow> = LineChartProps<Row> | BarChartProps<Row>;

/** Options both kinds share: legend, tooltip, the value axis and the category axis. */
function baseOptions<T extends 'line' | 'bar', Row extends ChartRow>(
  shape: { withLegend?: boolean; wholeNumbers?: boolean; valueAxis: 'x' | 'y' },
  latest: { current: Common<Row> },
): ChartOptions<T> {
  const { valueAxis } = shape;
  const categoryAxis = valueAxis === 'y' ? 'x' : 'y';
  const grid = colour('gray.2');
  return {
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'index', intersect: false, axis: categoryAxis },
    plugins: {
      legend: {
        display: shape.withLegend ?? false,
        position: 'bottom',
        labels: { usePointStyle: true, pointStyle: 'circle', boxWidth: 8, boxHeight: 8, padding: 16 },
      },
      tooltip: {
        filter: (item: Tip) => item.parsed[valueAxis] !== null,
        callbacks: {
          label: (item: Tip) => {
            const value = item.parsed[valueAxis] ?? 0;
            const format = latest.current.valueFormatter;
            return ` ${item.dataset.label}: ${format ? format(value) : figure(value)}`;
          },
        },
      },
    },
    scales: {
      [categoryAxis]: {
        type: 'category',
        grid: { display: false },
        border: { color: grid },
        ticks: {
          autoSkip: true,
          maxRotation: 0,
          ...(categoryAxis === 'y' && {
            callback(this: Scale, value: string | number) {
              return shortLabel(this.getLabelForValue(Number(value)), 28);
            },
          }),
        },
      },
      [valueAxis]: {
        type: 'linear',
        grid: { color: grid },
        border: { display: false },
        ticks: {
          precision: shape.wholeNumbers ? 0 : undefined,
          callback: (value: string | number) => {
            const format = latest.current.tickFormatter;
            return format ? format(Number(value)) : figure(Number(value));
          },
        },
      },
    },
  } as ChartOptions<T>;
}

/** The canvas in a box of the chart's height; the chart takes the box's width. */
function Canvas<T extends ChartType>({
  type,
  props,
  labels,
  datasets,
  options,
}: {
  type: T;
  props: { h: number; label: string; 'data-testid'?: string };
  labels: string[];
  datasets: ChartDataset<T>[];
  options: ChartOptions<T>;
}) {
  return (
    <div style={{ position: 'relative', height: props.h }} data-testid={props['data-testid']}>
      <Chart<T>
        type={type}
        data={{ labels, datasets }}
        options={options}
        role="img"
        aria-label={props.label}
      />
    </div>
  );
}

const labelsOf = <Row extends ChartRow>(data: Row[], dataKey: keyof Row) =>
  data.map((row) => String(row[dataKey] ?? ''));

const seriesLabel = (series: ChartSeries) => series.label ?? series.name;

export function LineChart<Row extends ChartRow>(props: LineChartProps<Row>) {
  const latest = useRef(props);
  latest.current = props;
  const { data, dataKey, series: allSeries, connectNulls, withLegend, wholeNumbers } = props;
  const labels = useMemo(() => labelsOf(data, dataKey), [data, dataKey]);
  const many = data.length > 31;
  const datasets = useMemo(
    () =>
      allSeries.map((series): ChartDataset<'line'> => {
        const css = colour(series.color);
        return {
          label: seriesLabel(series),
          data: data.map((row) => plotted(row[series.name])),
          borderColor: css,
          backgroundColor: css,
          borderWidth: 2,
          stepped: series.curve === 'stepAfter' ? 'after' : false,
          tension: 0,
          spanGaps: connectNulls ?? false,
          showLine: !series.dotsOnly,
          // A dot on each of a year's days would hide the line: long lines show their dots on hover only.
          pointRadius: series.dotsOnly ? 5 : many ? 0 : 3,
          pointHoverRadius: series.dotsOnly ? 7 : 5,
          pointBorderColor: series.dotsOnly ? '#fff' : css,
          pointBorderWidth: series.dotsOnly ? 2 : 1,
        };
      }),
    [allSeries, data, connectNulls, many],
  );
  const clickable = props.onPointClick !== undefined;
  const [low, high] = props.domain ?? [];
  const options = useMemo(() => {
    const options = baseOptions<'line', Row>({ withLegend, wholeNumbers, valueAxis: 'y' }, latest);
    const y = options.scales?.y;
    if (y) Object.assign(y, { min: low, max: high });
    return {
      ...options,
      onHover: (event: ChartEvent, elements: unknown[]) => {
        const target = event.native?.target as HTMLElement | undefined;
        if (target) target.style.cursor = clickable && elements.length > 0 ? 'pointer' : 'default';
      },
      onClick: (_event: ChartEvent, elements: { index: number }[]) => {
        const row = elements[0] && latest.current.data[elements[0].index];
        if (row) latest.current.onPointClick?.(row);
      },
    } satisfies ChartOptions<'line'>;
  }, [withLegend, wholeNumbers, low, high, clickable]);
  return <Canvas type="line" props={props} labels={labels} datasets={datasets} options={options} />;
}

export function BarChart<Row extends ChartRow>(props: BarChartProps<Row>) {
  const latest = useRef(props);
  latest.current = props;
  const {
    data,
    dataKey,
    series: allSeries,
    stacked,
    horizontal,
    slantedLabels,
    withLegend,
    wholeNumbers,
  } = props;
  const labels = useMemo(() => labelsOf(data, dataKey), [data, dataKey]);
  const datasets = useMemo(
    () =>
      allSeries.map(
        (series): ChartDataset<'bar'> => ({
          label: seriesLabel(series),
          data: data.map((row) => plotted(row[series.name])),
          backgroundColor: colour(series.color),
          borderRadius: stacked ? 0 : 2,
          maxBarThickness: 36,
          ...(stacked && { stack: 'all' }),
        }),
      ),
    [allSeries, data, stacked],
  );
  const clickable = props.onBarClick !== undefined;
  const options = useMemo(() => {
    const valueAxis = horizontal ? 'x' : 'y';
    const categoryAxis = horizontal ? 'y' : 'x';
    const options = baseOptions<'bar', Row>({ withLegend, wholeNumbers, valueAxis }, latest);
    const scales = options.scales ?? {};
    Object.assign(scales[valueAxis] ?? {}, { beginAtZero: true, stacked: stacked ?? false });
    Object.assign(scales[categoryAxis] ?? {}, { stacked: stacked ?? false });
    if (slantedLabels)
      Object.assign(scales[categoryAxis]?.ticks ?? {}, { autoSkip: false, minRotation: 30, maxRotation: 30 });
    return {
      ...options,
      indexAxis: categoryAxis,
      onHover: (event: ChartEvent, _elements: unknown[], chart: ChartJS) => {
        const target = event.native?.target as HTMLElement | undefined;
        if (!target || !event.native) return;
        const bars = chart.getElementsAtEventForMode(event.native, 'nearest', { intersect: true }, false);
        target.style.cursor = clickable && bars.length > 0 ? 'pointer' : 'default';
      },
      onClick: (event: ChartEvent, _elements: unknown[], chart: ChartJS) => {
        if (!event.native) return;
        const [bar] = chart.getElementsAtEventForMode(event.native, 'nearest', { intersect: true }, false);
        const row = bar && latest.current.data[bar.index];
        const series = bar && latest.current.series[bar.datasetIndex];
        if (row && series) latest.current.onBarClick?.(row, series);
      },
    } satisfies ChartOptions<'bar'>;
  }, [withLegend, wholeNumbers, horizontal, stacked, slantedLabels, clickable]);
  return <Canvas type="bar" props={props} labels={labels} datasets={datasets} options={options} />;
}
