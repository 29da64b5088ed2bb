import {
  CellApiModule,
  CellStyleModule,
  ClientSideRowModelApiModule,
  ClientSideRowModelModule,
  ColumnApiModule,
  ColumnAutoSizeModule,
  DateFilterModule,
  EventApiModule,
  ModuleRegistry,
  NumberFilterModule,
  PinnedRowModule,
  QuickFilterModule,
  RenderApiModule,
  RowApiModule,
  RowStyleModule,
  TextFilterModule,
  TooltipModule,
  themeQuartz,
} from 'ag-grid-community';
import { AgGridReact, type AgGridReactProps } from 'ag-grid-react';

/**
 * AG Grid itself, loaded apart from the pages (see `AgGrid` in data-grid.tsx): its code takes long to run, and
 * a page that imported it directly could neither draw its header nor ask for its rows until it had run.
 */

// Only the features the grids use: a third of AG Grid's code, parsed on every page that shows a grid.
ModuleRegistry.registerModules([
  ClientSideRowModelModule,
  ClientSideRowModelApiModule,
  ColumnApiModule,
  ColumnAutoSizeModule,
  RowApiModule,
  RenderApiModule,
  EventApiModule,
  TextFilterModule,
  NumberFilterModule,
  DateFilterModule,
  QuickFilterModule,
  TooltipModule,
  RowStyleModule,
  CellApiModule,
  CellStyleModule,
  PinnedRowModule,
]);

/** One look for every table: the Mantine font, neutral greys, the indigo accent, dense rows. */
const gridTheme = themeQuartz.withParams({
  accentColor: '#4c6ef5',
  fontFamily: 'inherit',
  fontSize: 13,
  headerFontSize: 12,
  headerFontWeight: 600,
  headerTextColor: '#495057',
  headerBackgroundColor: '#f8f9fa',
  borderColor: '#dee2e6',
  foregroundColor: '#212529',
  wrapperBorderRadius: 8,
  spacing: 6,
  rowHeight: 36,
  headerHeight: 38,
  // Short lists grow with their rows; one row's height leaves room for the "no rows match" message.
  autoHeightMinBodyHeight: 36,
  browserColorScheme: 'light',
  pinnedRowFontWeight: 600,
  pinnedRowBackgroundColor: '#f8f9fa',
});

/** An AG Grid with the app's look. */
export default function Grid<T>(props: AgGridReactProps<T>) {
  // Four rows drawn beyond those in view rather than ten: a grid's first drawing is its rows' React components.
  return <AgGridReact<T> theme={gridTheme} rowBuffer={4} {...props} />;
}
