import { ActionIcon, Button, Checkbox, Group, Menu, Popover, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconBookmark,
  IconChevronDown,
  IconLayoutColumns,
  IconTableExport,
  IconTrash,
} from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Column, GridApi, IRowNode } from 'ag-grid-community';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api, downloadPosted } from './api';
import { gridViewsQuery, type SavedView, type ViewState, viewsKey } from './grid-views';
import { humanise } from './words';

// Which of a grid's views the user chose last, so that it is there again after a reload.
const chosenKey = (gridId: string) => `clearhouse.grid-view.${gridId}`;

function stateOf<T>(grid: GridApi<T>): ViewState {
  return {
    columns: grid.getColumnState().map(({ colId, hide, width, pinned, sort, sortIndex }) => ({
      colId,
      hide: hide ?? false,
      ...(width ? { width } : {}),
      pinned: pinned === 'left' || pinned === 'right' ? pinned : null,
      sort: sort ?? null,
      sortIndex: sortIndex ?? null,
    })),
    filters: grid.getFilterModel(),
  };
}

function apply<T>(grid: GridApi<T>, state: ViewState): void {
  grid.applyColumnState({ state: state.columns, applyOrder: true });
  grid.setFilterModel(state.filters ?? null);
}

function label<T>(column: Column<T>): string {
  const def = column.getColDef();
  return def.headerName ?? humanise(column.getColId());
}

/** The views, columns and export menus above every grid. */
export function GridToolbar<T>({
  api: grid,
  gridId,
  title,
  onReset,
}: {
  api: GridApi<T>;
  gridId: string;
  title?: string;
  /** After the columns go back to their defaults: fit them to the width again. */
  onReset: () => void;
}) {
  return (
    <Group justify="flex-end" gap={6} mb={6} data-testid={`${gridId}-toolbar`}>
      <ViewsMenu grid={grid} gridId={gridId} onReset={onReset} />
      <ColumnsMenu grid={grid} gridId={gridId} onReset={onReset} />
      <ExportMenu grid={grid} gridId={gridId} title={title} />
    </Group>
  );
}

function ViewsMenu<T>({ grid, gridId, onReset }: { grid: GridApi<T>; gridId: string; onReset: () => void }) {
  const queryClient = useQueryClient();
  const views = useQuery(gridViewsQuery(gridId));
  const [current, setCurrent] = useState<string | null>(() => localStorage.getItem(chosenKey(gridId)));
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const restored = useRef(false);
  // The view chosen last comes back once the grid and the views are there.
  useEffect(() => {
    if (restored.current || !views.data) return;
    restored.current = true;
    const view = views.data.find((v) => v.name === current);
    if (view) apply(grid, view.state);
    else if (current) setCurrent(null);
  }, [views.data, current, grid]);
  const choose = (view: SavedView | null) => {
    if (view) apply(grid, view.state);
    else {
      grid.resetColumnState();
      onReset();
      grid.setFilterModel(null);
    }
    setCurrent(view?.name ?? null);
    if (view) localStorage.setItem(chosenKey(gridId), view.name);
    else localStorage.removeItem(chosenKey(gridId));
  };
  const save = useMutation({
    mutationFn: (viewName: string) =>
      api<{ view: SavedView }>(`/api/grid-views/${gridId}`, {
        method: 'PUT',
        body: { name: viewName, state: stateOf(grid) },
      }),
    onSuccess: ({ view }) => {
      void queryClient.invalidateQueries({ queryKey: viewsKey(gridId) });
      setCurrent(view.name);
      localStorage.setItem(chosenKey(gridId), view.name);
      setNaming(false);
      notifications.show({ message: `View “${view.name}” saved.` });
    },
    onError: (e) => notifications.show({ color: 'red', message: (e as Error).message }),
  });
  const remove = useMutation({
    mutationFn: (viewName: string) =>
      api(`/api/grid-views/${gridId}/${encodeURIComponent(viewName)}`, { method: 'DELETE' }),
    onSuccess: (_, viewName) => {
      void queryClient.invalidateQueries({ queryKey: viewsKey(gridId) });
      if (viewName === current) choose(null);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim()) save.mutate(name.trim());
  };
  return (
    <Popover opened={naming} onChange={setNaming} position="bottom-end" withArrow trapFocus>
      <Popover.Target>
        <div>
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button
                size="compact-xs"
                variant="subtle"
                color="gray"
                leftSection={<IconBookmark size={14} />}
                rightSection={<IconChevronDown size={12} />}
                data-testid="grid-views"
              >
                {current ?? 'Default view'}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>Your views of this table</Menu.Label>
              <Menu.Item onClick={() => choose(null)}>Default view</Menu.Item>
              {(views.data ?? []).map((view) => (
                <Menu.Item
                  key={view.name}
                  onClick={() => choose(view)}
                  fw={view.name === current ? 600 : undefined}
                  data-testid={`grid-view-${view.name}`}
                  rightSection={
                    <ActionIcon
                      size="xs"
                      variant="subtle"
                      color="gray"
                      aria-label={`Delete the view ${view.name}`}
                      onClick={(event) => {
                        event.stopPropagation();
                        remove.mutate(view.name);
                      }}
                    >
                      <IconTrash size={12} />
                    </ActionIcon>
                  }
                >
                  {view.name}
                </Menu.Item>
              ))}
              <Menu.Divider />
              <Menu.Item
                onClick={() => {
                  setName(current ?? '');
                  setNaming(true);
                }}
                data-testid="grid-view-save"
              >
                Save the columns, sort and filters as a view…
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </div>
      </Popover.Target>
      <Popover.Dropdown>
        <form onSubmit={submit}>
          <Stack gap="xs" w={260}>
            <TextInput
              label="View name"
              description="Saving under a name you used replaces that view."
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              maxLength={80}
              data-autofocus
              data-testid="grid-view-name"
            />
            <Group justify="flex-end">
              <Button size="xs" type="submit" loading={save.isPending} disabled={!name.trim()}>
                Save view
              </Button>
            </Group>
          </Stack>
        </form>
      </Popover.Dropdown>
    </Popover>
  );
}

function ColumnsMenu<T>({
  grid,
  gridId,
  onReset,
}: {
  grid: GridApi<T>;
  gridId: string;
  onReset: () => void;
}) {
  const [, redraw] = useState(0);
  const columns = (grid.getColumns() ?? []).filter((c) => label(c));
  const hidden = columns.filter((c) => !c.isVisible()).length;
  return (
    <Menu position="bottom-end" closeOnItemClick={false} withinPortal onOpen={() => redraw((n) => n + 1)}>
      <Menu.Target>
        <Button
          size="compact-xs"
          variant="subtle"
          color="gray"
          leftSection={<IconLayoutColumns size={14} />}
          rightSection={<IconChevronDown size={12} />}
          data-testid="grid-columns"
        >
          Columns{hidden ? ` · ${hidden} hidden` : ''}
        </Button>
      </Menu.Target>
      <Menu.Dropdown mah={420} style={{ overflowY: 'auto' }} data-testid={`${gridId}-columns-menu`}>
        <Menu.Label>Columns shown</Menu.Label>
        {columns.map((column) => (
          <Menu.Item
            key={column.getColId()}
            py={4}
            onClick={() => {
              grid.setColumnsVisible([column], !column.isVisible());
              redraw((n) => n + 1);
            }}
          >
            <Checkbox
              size="xs"
              readOnly
              checked={column.isVisible()}
              label={label(column)}
              styles={{ input: { cursor: 'pointer' }, label: { cursor: 'pointer' } }}
              data-testid={`grid-column-${column.getColId()}`}
            />
          </Menu.Item>
        ))}
        <Menu.Divider />
        <Menu.Item
          onClick={() => {
            grid.resetColumnState();
            onReset();
            redraw((n) => n + 1);
          }}
        >
          <Text size="xs">Back to the default columns</Text>
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

type ExportType = 'text' | 'int' | 'amount' | 'date';
const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const decimalText = /^-?\d+\.\d+$/;

/** How a column exports: declared (`context: { export: 'amount' }`), or read from its values. */
function exportType<T>(column: Column<T>, values: unknown[]): ExportType {
  const declared = column.getColDef().context?.export as ExportType | undefined;
  if (declared) return declared;
  const present = values.filter((v) => v !== null && v !== undefined && v !== '');
  if (present.length === 0) return 'text';
  if (present.every((v) => typeof v === 'string' && isoDate.test(v))) return 'date';
  if (present.every((v) => typeof v === 'number' && Number.isSafeInteger(v))) return 'int';
  // Money arrives as decimal strings; a right-aligned column of them is an amount.
  const def = column.getColDef();
  const right = def.type === 'rightAligned' || (Array.isArray(def.type) && def.type.includes('rightAligned'));
  if (right && present.every((v) => typeof v === 'string' && decimalText.test(v))) return 'amount';
  return 'text';
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.map(cellText).join(', ');
  if (typeof value === 'object') return '';
  // Codes (on_track, partly_valid) read as words wherever the column does not word them itself.
  return humanise(String(value));
}

/** The rows as the grid shows them: its columns in order, filtered and sorted, values typed for the export. */
function exportBody<T>(grid: GridApi<T>, title: string, format: 'xlsx' | 'csv') {
  const columns = grid.getAllDisplayedColumns().filter((c) => label(c) && !c.getColDef().context?.noExport);
  const nodes: IRowNode<T>[] = [];
  grid.forEachNodeAfterFilterAndSort((node) => {
    if (node.data) nodes.push(node);
  });
  const described = columns.map((column) => {
    const raw = nodes.map((rowNode) => grid.getCellValue({ rowNode, colKey: column }));
    const type = exportType(column, raw);
    const values =
      type === 'text'
        ? nodes.map((rowNode, i) => {
            const shown = column.getColDef().valueFormatter
              ? grid.getCellValue({ rowNode, colKey: column, useFormatter: true })
              : raw[i];
            return cellText(shown);
          })
        : raw.map((v) => (v === undefined ? null : v));
    return {
      spec: {
        key: column.getColId(),
        label: label(column),
        type,
        ...(column.getColDef().context?.total === false ? { total: false } : {}),
      },
      values,
    };
  });
  return {
    title,
    format,
    columns: described.map((d) => d.spec),
    rows: nodes.map((_, i) => Object.fromEntries(described.map((d) => [d.spec.key, d.values[i] ?? null]))),
  };
}

function ExportMenu<T>({ grid, gridId, title }: { grid: GridApi<T>; gridId: string; title?: string }) {
  const [busy, setBusy] = useState(false);
  const run = async (format: 'xlsx' | 'csv') => {
    const heading = title ?? document.querySelector('main h2')?.textContent?.trim() ?? humanise(gridId);
    setBusy(true);
    try {
      await downloadPosted('/api/grid-export', exportBody(grid, heading || 'Export', format));
    } catch (error) {
      notifications.show({ color: 'red', message: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button
          size="compact-xs"
          variant="subtle"
          color="gray"
          loading={busy}
          leftSection={<IconTableExport size={14} />}
          rightSection={<IconChevronDown size={12} />}
          data-testid="grid-export"
        >
          Export
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>The rows shown, as</Menu.Label>
        <Menu.Item onClick={() => void run('xlsx')} data-testid="grid-export-xlsx">
          Excel workbook (XLSX)
        </Menu.Item>
        <Menu.Item onClick={() => void run('csv')} data-testid="grid-export-csv">
          CSV
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
