import { Center, Loader } from '@mantine/core';
import { lazyModule } from './lazy-module';

/**
 * The app's two charts: lines over time (or steps, or points alone) and bars (grouped or stacked, upright or
 * lying). They draw on a canvas with Chart.js, whose code loads apart from the page's (index.html preloads it
 * with a page that shows a chart); a loader holds the chart's place meanwhile. The figures are numbers for
 * plotting only: every amount a user reads as text stays the server's decimal string.
 */

/** A series: the row key it plots, its name in the legend and tooltip, and a Mantine colour ('indigo.6'). */
export interface ChartSeries {
  name: string;
  label?: string;
  color: string;
  /** Lines only: a step that holds each value until the next (a position, a price), or a straight line. */
  curve?: 'linear' | 'stepAfter';
  /** Lines only: the values as dots alone, with no line between them (a partner's snapshots). */
  dotsOnly?: boolean;
}

export type ChartRow = Record<string, string | number | null | undefined>;

interface ChartProps<Row extends ChartRow> {
  /** The chart's height in pixels; it takes its container's width. */
  h: number;
  data: Row[];
  /** The row key of each point's or bar's category label (a month, a program). */
  dataKey: keyof Row & string;
  series: ChartSeries[];
  /** What the chart shows, for screen readers (the canvas is an image to them). */
  label: string;
  withLegend?: boolean;
  /** A value in the tooltip. */
  valueFormatter?: (value: number) => string;
  /** A value on the value axis. */
  tickFormatter?: (value: number) => string;
  /** The value axis holds whole numbers only (counts, quantities). */
  wholeNumbers?: boolean;
  'data-testid'?: string;
}

export interface LineChartProps<Row extends ChartRow> extends ChartProps<Row> {
  /** Draw across a missing value instead of leaving a gap. */
  connectNulls?: boolean;
  /** The value axis's fixed range; otherwise it fits the values. */
  domain?: [number, number];
  /** A click on a category (anywhere above it): the row it plots. */
  onPointClick?: (row: Row) => void;
}

export interface BarChartProps<Row extends ChartRow> extends ChartProps<Row> {
  stacked?: boolean;
  /** Bars lying down, one category a row: for long names (programs, partners). */
  horizontal?: boolean;
  /** Every category label slanted and shown, rather than some skipped when they do not fit. */
  slantedLabels?: boolean;
  onBarClick?: (row: Row, series: ChartSeries) => void;
}

// Run when a chart is first drawn, never when this module loads: the app's shared chunk holds this module, and
// pages without a chart must not run Chart.js. index.html has fetched its code already on a chart page.
const useChartsEngine = lazyModule(() => import('./charts-engine'));
/** The charts' code, run ahead of the first drawing on a page that shows a chart (main.tsx). */
export const loadChartsEngine = useChartsEngine.load;

function Placeholder({ h }: { h: number }) {
  return (
    <Center h={h}>
      <Loader size="sm" />
    </Center>
  );
}

export function LineChart<Row extends ChartRow>(props: LineChartProps<Row>) {
  const engine = useChartsEngine();
  return engine ? <engine.LineChart {...props} /> : <Placeholder h={props.h} />;
}

export function BarChart<Row extends ChartRow>(props: BarChartProps<Row>) {
  const engine = useChartsEngine();
  return engine ? <engine.BarChart {...props} /> : <Placeholder h={props.h} />;
}
