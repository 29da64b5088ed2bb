import type { BarChartProps, LineChartProps } from '@mantine/charts';
import { Center, Loader } from '@mantine/core';
import { lazyModule } from './lazy-module';

/**
 * Mantine's charts, their code loaded apart from the page's (index.html preloads it with the page): recharts
 * takes long to run, and a page that imported it directly could neither draw its figures nor ask for them
 * until it had run. A loader holds the chart's place meanwhile.
 */
// Run when a chart is first drawn, never when this module loads: the app's shared chunk holds this module, and
// pages without a chart must not run recharts. index.html has fetched its code already on a chart page.
const useChartsEngine = lazyModule(() => import('./charts-engine'));

function Placeholder({ h }: { h: LineChartProps['h'] }) {
  return (
    <Center h={h ?? 240}>
      <Loader size="sm" />
    </Center>
  );
}

export function LineChart(props: LineChartProps) {
  const engine = useChartsEngine();
  return engine ? <engine.LineChart {...props} /> : <Placeholder h={props.h} />;
}

export function BarChart(props: BarChartProps) {
  const engine = useChartsEngine();
  return engine ? <engine.BarChart {...props} /> : <Placeholder h={props.h} />;
}
