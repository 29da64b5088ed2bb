/** The charts' code (recharts under Mantine's charts), loaded apart from the pages: see chart-views.tsx. */
import '@mantine/charts/styles.css';

export { BarChart, LineChart } from '@mantine/charts';
