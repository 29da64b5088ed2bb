import {
  CellApiModule,
  CellStyleModule,
  ClientSideRowModelApiModule,
  ClientSideRowModelModule,
  type ColDef,
  type ColGroupDef,
  ColumnApiModule,
  ColumnAutoSizeModule,
  createGrid,
  DateFilterModule,
  EventApiModule,
  type GridApi,
  type GridOptions,
  type ICellRendererComp,
  type ICellRendererParams,
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
import { type ReactNode, useLayoutEffect, useReducer, useRef, useState } from 'react';
import { createPortal } from 'react-dom';

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

/**
 * A React component given as a column's `cellRenderer`, drawn by the grid's own React tree through a portal
 * into the cell the grid made: the grid draws its rows and cells itself, and React draws only what is a
 * component (badges, links, buttons), with the page's context (theme, router, queries).
 */
type CellComponent = (params: ICellRendererParams) => ReactNode;

interface PortalCell {
  element: HTMLElement;
  Component: CellComponent;
  params: ICellRendererParams;
}

/** The cells drawn by React of one grid, and who draws them. */
class PortalCells {
  readonly cells = new Map<number, PortalCell>();
  private next = 0;
  private pending = false;
  /** Set by the grid's component: draw the cells again. */
  onChange: () => void = () => {};
  private readonly renderers = new WeakMap<CellComponent, new () => ICellRendererComp>();

  /** The grid's renderer for a React component: one class per component, so that the grid keeps its cells. */
  rendererFor(Component: CellComponent): new () => ICellRendererComp {
    let renderer = this.renderers.get(Component);
    if (!renderer) {
      const cells = this;
      renderer = class implements ICellRendererComp {
        private readonly element = document.createElement('span');
        private readonly key = cells.next++;
        init(params: ICellRendererParams) {
          // The component's elements are laid out as the cell's own (`widget-cell` centres them).
          this.element.style.display = 'contents';
          cells.set(this.key, { element: this.element, Component, params });
        }
        getGui() {
          return this.element;
        }
        refresh(params: ICellRendererParams) {
          cells.set(this.key, { element: this.element, Component, params });
          return true;
        }
        destroy() {
          cells.delete(this.key);
        }
      };
      this.renderers.set(Component, renderer);
    }
    return renderer;
  }

  private set(key: number, cell: PortalCell) {
    this.cells.set(key, cell);
    this.changed();
  }

  private delete(key: number) {
    if (this.cells.delete(key)) this.changed();
  }

  /** Every cell made or changed in one go is drawn in one React render. */
  private changed() {
    if (this.pending) return;
    this.pending = true;
    queueMicrotask(() => this.flush());
  }

  /** Draws the cells made since the last drawing now (a layout effect's update is drawn before the paint). */
  flush() {
    if (!this.pending) return;
    this.pending = false;
    this.onChange();
  }
}

/** The column definitions with each React component renderer swapped for its portal renderer. */
function withPortals<T>(
  columns: (ColDef<T> | ColGroupDef<T>)[] | null | undefined,
  cells: PortalCells,
): (ColDef<T> | ColGroupDef<T>)[] | null | undefined {
  return columns?.map((c) => {
    if ('children' in c) return { ...c, children: withPortals(c.children, cells) ?? [] };
    return typeof c.cellRenderer === 'function' && !c.cellRenderer.prototype?.getGui
      ? { ...c, cellRenderer: cells.rendererFor(c.cellRenderer as CellComponent) }
      : c;
  });
}

/** Callback options (events, getters): the grid is given a function that calls the latest props' own. */
const callbackOption = (key: string) => /^(on[A-Z]|get[A-Z]|is[A-Z]|process[A-Z]|post[A-Z])/.test(key);

/**
 * Every option as the grid takes it: the defaults, the component renderers behind portals, and callbacks that
 * call the latest props' own.
 */
function gridOptions<T>(
  from: GridProps<T>,
  cells: PortalCells,
  latest: { current: GridProps<T> },
): GridOptions<T> {
  const given: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(from)) {
    if (value === undefined || key === 'onApi') continue;
    given[key] =
      typeof value === 'function' && callbackOption(key)
        ? (...args: unknown[]) =>
            (latest.current as Record<string, ((...a: unknown[]) => unknown) | undefined>)[key]?.(...args)
        : value;
  }
  return {
    theme: gridTheme,
    // Four rows drawn beyond those in view rather than ten.
    rowBuffer: 4,
    ...(given as GridOptions<T>),
    columnDefs: withPortals(from.columnDefs, cells),
  };
}

/** AG Grid's options, and `onApi`: called with the grid's api as soon as the grid is made. */
export type GridProps<T> = GridOptions<T> & { onApi?: (api: GridApi<T>) => void };

/**
 * An AG Grid with the app's look. The grid draws its rows itself (AG Grid's own DOM rendering), which costs a
 * fraction of drawing each row and cell as React components; React draws only the cells whose renderer is a
 * component. Options are given as they change, as ag-grid-react gave them: changed values with
 * `updateGridOptions`, callbacks always the latest.
 */
export default function Grid<T>(props: GridProps<T>) {
  const host = useRef<HTMLDivElement>(null);
  const api = useRef<GridApi<T> | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const [cells] = useState(() => new PortalCells());
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const applied = useRef<GridProps<T> | null>(null);

  useLayoutEffect(() => {
    if (!host.current) return;
    cells.onChange = redraw;
    applied.current = latest.current;
    api.current = createGrid(host.current, gridOptions(latest.current, cells, latest));
    // The first rows' component cells, and what the page draws with the grid's api (its toolbar), are drawn
    // with the grid, before the browser paints it without them (AG Grid's gridReady comes a task later).
    cells.flush();
    latest.current.onApi?.(api.current);
    return () => {
      cells.onChange = () => {};
      api.current?.destroy();
      api.current = null;
    };
    // Made once; later props go through updateGridOptions below.
  }, [cells]);

  // The options whose values changed since they were last given (callbacks read the latest props already).
  useLayoutEffect(() => {
    const before = applied.current;
    if (!api.current || !before || before === props) return;
    applied.current = props;
    const changed: Record<string, unknown> = {};
    const keys = new Set([...Object.keys(before), ...Object.keys(props)]);
    for (const key of keys) {
      const value = (props as Record<string, unknown>)[key];
      const was = (before as Record<string, unknown>)[key];
      if (value === was || key === 'onApi') continue;
      if (typeof value === 'function' && typeof was === 'function' && callbackOption(key)) continue;
      changed[key] = value;
    }
    if (Object.keys(changed).length === 0) return;
    const next = gridOptions(changed as GridOptions<T>, cells, latest);
    const update: Record<string, unknown> = {};
    for (const key of Object.keys(changed)) update[key] = (next as Record<string, unknown>)[key];
    api.current.updateGridOptions(update as GridOptions<T>);
  });

  return (
    <>
      <div ref={host} style={{ height: props.domLayout === 'autoHeight' ? undefined : '100%' }} />
      {[...cells.cells].map(([key, { element, Component, params }]) =>
        createPortal(<Component {...params} />, element, key),
      )}
    </>
  );
}
