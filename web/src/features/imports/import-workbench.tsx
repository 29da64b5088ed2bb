import { Button, Grid, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import { type GridQuery, gridQueryParams, noGridQuery } from '../../ui/data-grid';
import { formatCount } from '../../ui/money';
import { Empty, LoadError, Loading } from '../../ui/states';
import type { ImportTemplate } from './import';
import { ImportDropzone } from './import-dropzone';
import { ImportHistoryGrid } from './import-history-grid';
import { ImportResult } from './import-result';
import { TemplatesPanel } from './templates-panel';
import { useUploadImport } from './upload-import';
import { useImportHistory, useImportTemplates } from './use-imports';

/**
 * The upload, its result right beneath it, the templates beside it and the history below: the desk's
 * Imports page and the portal's Uploads page differ only in which templates they offer.
 */
export function ImportWorkbench({ partner = false }: { partner?: boolean }) {
  const templates = useImportTemplates();
  const { state, upload, cancel, reset } = useUploadImport();
  const offered = (templates.data ?? []).filter((template) => !partner || template.partner_may_upload);
  const onUpload = useCallback((file: File, kind: string | null) => void upload(file, kind), [upload]);

  return (
    <Stack gap="xl">
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="lg">
            <ImportDropzone
              templates={offered}
              ready={!templates.isPending}
              state={state}
              onUpload={onUpload}
              onCancel={cancel}
              onDismiss={reset}
            />
            {state.phase === 'done' && <ImportResult record={state.result} templates={templates.data} />}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          {templates.isPending ? (
            <Loading label="Loading templates…" />
          ) : templates.isError ? (
            <LoadError error={templates.error} retry={() => void templates.refetch()} what="the templates" />
          ) : (
            <TemplatesPanel templates={offered} partner={partner} />
          )}
        </Grid.Col>
      </Grid>
      <History templates={templates.data ?? []} offered={offered} partner={partner} />
    </Stack>
  );
}

function History({
  templates,
  offered,
  partner,
}: {
  templates: readonly ImportTemplate[];
  offered: readonly ImportTemplate[];
  partner: boolean;
}) {
  const [kind, setKind] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  // The grid's own sort and column filters, done by the server over every import.
  const [grid, setGrid] = useState<GridQuery>(noGridQuery);
  const history = useImportHistory({ kind, status, ...gridQueryParams(grid) });
  const imports = history.data?.pages.flatMap((page) => page.items) ?? [];
  const total = Number(history.data?.pages[0]?.total ?? 0);
  const filtered = Boolean(kind || status);
  const gridQueried = grid.sort !== null || Object.keys(grid.filters).length > 0;

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <Group gap="xs">
          <IconHistory size={18} />
          <Title order={3} fz="md" fw={600}>
            {partner ? 'Your uploads' : 'Import history'}
          </Title>
        </Group>
        <Group gap="sm">
          <Select
            placeholder="All templates"
            data={(partner ? offered : templates).map((template) => ({
              value: template.kind,
              label: template.label,
            }))}
            value={kind}
            onChange={setKind}
            clearable
            w={190}
            size="xs"
            aria-label="Template"
          />
          <Select
            placeholder="Loaded and refused"
            data={[
              { value: 'loaded', label: 'Loaded' },
              { value: 'rejected', label: 'Refused' },
            ]}
            value={status}
            onChange={setStatus}
            clearable
            w={170}
            size="xs"
            aria-label="Status"
          />
        </Group>
      </Group>
      {history.isPending ? (
        <Loading label="Loading the history…" />
      ) : history.isError ? (
        <LoadError error={history.error} retry={() => void history.refetch()} what="the history" />
      ) : imports.length === 0 && !gridQueried ? (
        <Paper withBorder data-testid="import-history">
          <Empty
            icon={<IconHistory size={22} stroke={1.5} />}
            title={
              filtered
                ? 'No imports match these filters'
                : partner
                  ? 'Nothing uploaded yet'
                  : 'Nothing imported yet'
            }
            description={
              filtered
                ? 'Clear the template or status filter to see more.'
                : 'Every file loaded or refused is listed here with who sent it, when, and what it did.'
            }
          />
        </Paper>
      ) : (
        <>
          <ImportHistoryGrid
            imports={imports}
            templates={templates}
            showSource={!partner}
            onQuery={setGrid}
            height={imports.length <= 15 ? 'auto' : 560}
          />
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              {imports.length < total
                ? `${formatCount(imports.length)} of ${formatCount(total)} imports shown.`
                : `${formatCount(imports.length)} import${imports.length === 1 ? '' : 's'}.`}{' '}
              Click one to see its counts or its errors.
            </Text>
            {history.hasNextPage && (
              <Button
                size="xs"
                variant="default"
                onClick={() => void history.fetchNextPage()}
                loading={history.isFetchingNextPage}
              >
                Load older imports
              </Button>
            )}
          </Group>
        </>
      )}
    </Stack>
  );
}
