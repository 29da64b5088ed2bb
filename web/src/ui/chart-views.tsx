import type { BarChartProps, LineChartProps } from '@mantine/charts';
import { Center, Loader } from '@mantine/core';
import { lazy, Suspense } from 'react';

/**
 * Mantine's charts, their code loaded apart from the page's (index.html preloads it with the page): recharts
 * takes long to run, and a page that imported it directly could neither draw its figures nor ask for them
 * until it had run. A loader holds the chart's place meanwhile.
 */
// Asked for as soon as a page with a chart has loaded, so that it runs while the page's figures are on their
// way rather than once they have come (but after the page's prefetch has started its requests).
const chartsEngine = new Promise((started) => setTimeout(started, 0)).then(() => import('./charts-engine'));
const LazyLineChart = lazy(() => chartsEngine.then((m) => ({ default: m.LineChart })));
const LazyBarChart = lazy(() => chartsEngine.then((m) => ({ default: m.BarChart })));

function Placeholder({ h }: { h: LineChartProps['h'] }) {
  return (
    <Center h={h ?? 240}>
      <Loader size="sm" />
    </Center>
  );
}

export function LineChart(props: LineChartProps) {
  return (
    <Suspense fallback={<Placeholder h={props.h} />}>
      <LazyLineChart {...props} />
    </Suspense>
  );
}

export function BarChart(props: BarChartProps) {
  return (
    <Suspense fallback={<Placeholder h={props.h} />}>
      <LazyBarChart {...props} />
    </Suspense>
  );
}
