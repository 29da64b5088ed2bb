import type { BarChartProps, LineChartProps } from '@mantine/charts';
import { Center, Loader } from '@mantine/core';
import { lazy, Suspense } from 'react';

/**
 * Mantine's charts, their code loaded apart from the page's (index.html preloads it with the page): recharts
 * takes long to run, and a page that imported it directly could neither draw its figures nor ask for them
 * until it had run. A loader holds the chart's place meanwhile.
 */
const LazyLineChart = lazy(() => import('./charts-engine').then((m) => ({ default: m.LineChart })));
const LazyBarChart = lazy(() => import('./charts-engine').then((m) => ({ default: m.BarChart })));

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
