import {
  Anchor,
  Breadcrumbs,
  Button,
  Card,
  Code,
  Grid,
  Group,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconFileImport } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useUser } from '../features/identity/session';
import { isPartner } from '../features/identity/user';
import {
  formatDuration,
  type ImportRecord,
  importPath,
  kindLabel,
  sourceLabels,
} from '../features/imports/import';
import { ImportResult } from '../features/imports/import-result';
import { useImport, useImportTemplates } from '../features/imports/use-imports';
import { formatSize } from '../features/platform/documents/document';
import { ApiError } from '../ui/api';
import { formatTimestamp } from '../ui/dates';
import { PageHeader } from '../ui/page-header';
import { Empty, LoadError, Loading } from '../ui/states';

/** One past load: the same result view as right after an upload, and where the file came from. */
export default function ImportPage() {
  const { importId = '' } = useParams();
  const user = useUser();
  const record = useImport(importId);
  const templates = useImportTemplates();
  const back = isPartner(user) ? { to: '/uploads', label: 'Uploads' } : { to: '/imports', label: 'Imports' };

  if (record.isPending) return <Loading label="Loading the import…" />;
  if (record.isError) {
    if (record.error instanceof ApiError && (record.error.status === 404 || record.error.status === 400)) {
      return (
        <Empty
          icon={<IconFileImport size={22} stroke={1.5} />}
          title="No such import"
          description="There is no import with this number that you can see."
          action={
            <Button component={Link} to={back.to} variant="light">
              Back to {back.label.toLowerCase()}
            </Button>
          }
        />
      );
    }
    return <LoadError error={record.error} retry={() => void record.refetch()} what="the import" />;
  }

  const data = record.data;
  const loaded = data.status === 'loaded';
  return (
    <>
      <PageHeader
        above={
          <Breadcrumbs separatorMargin={6}>
            <Anchor component={Link} to={back.to} size="sm">
              {back.label}
            </Anchor>
            <Text size="sm" c="dimmed">
              {data.file_name ?? data.import_id}
            </Text>
          </Breadcrumbs>
        }
        title={data.file_name ?? kindLabel(data.kind, templates.data)}
        description={`${kindLabel(data.kind, templates.data)} · ${loaded ? 'loaded' : 'refused'} ${formatTimestamp(data.finished_at)} · ${data.actor_name}`}
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <ImportResult record={data} templates={templates.data} title={loaded ? 'Loaded' : 'Refused'} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <FileFacts record={data} />
        </Grid.Col>
      </Grid>
    </>
  );
}

function FileFacts({ record }: { record: ImportRecord }) {
  const fact = (label: string, value: ReactNode) => (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div" style={{ overflowWrap: 'anywhere' }}>
        {value || '—'}
      </Text>
    </Stack>
  );
  return (
    <Card data-testid="import-facts">
      <Title order={3} fz="md" fw={600} mb="md">
        The file
      </Title>
      <Stack gap="sm">
        {fact('File name', record.file_name)}
        {fact('SHA-256', record.sha256 && <Code fz="xs">{record.sha256}</Code>)}
        <SimpleGrid cols={2} spacing="sm">
          {fact('Size', record.size_bytes === null ? '' : formatSize(record.size_bytes))}
          {fact('Sent via', sourceLabels[record.source] ?? record.source)}
          {fact('Started', formatTimestamp(record.started_at))}
          {fact('Took', formatDuration(record.duration_ms))}
          {fact('By', record.actor_name)}
          {record.account_id && fact('Organisation', record.account_id)}
        </SimpleGrid>
        {record.same_file_as && (
          <Group gap={4}>
            <Text size="sm">Same file as</Text>
            <Anchor component={Link} to={importPath(record.same_file_as)} size="sm">
              an earlier load
            </Anchor>
          </Group>
        )}
      </Stack>
    </Card>
  );
}
