import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { IconCheck, IconCopy, IconDownload, IconX } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { BankFileOutcome } from '../cash/bank-file-outcome';
import {
  count,
  formatCount,
  formatDuration,
  type ImportRecord,
  type ImportTemplate,
  importPath,
  kindLabel,
  rejectedRowsUrl,
} from './import';
import { ImportErrorsGrid } from './import-errors-grid';

/** What one load did: the counts when it was loaded, or every problem when it was refused. */
export function ImportResult({
  record,
  templates,
  title,
}: {
  record: ImportRecord;
  templates?: readonly ImportTemplate[];
  /** Defaults to the file name; the detail page, which shows the name above, passes its own. */
  title?: ReactNode;
}) {
  const loaded = record.status === 'loaded';
  const name = record.file_name ?? kindLabel(record.kind, templates);
  return (
    <Card data-testid="import-result" data-status={record.status}>
      <Stack gap="md">
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <ThemeIcon size={36} radius="xl" variant="light" color={loaded ? 'teal' : 'red'}>
            {loaded ? <IconCheck size={20} /> : <IconX size={20} />}
          </ThemeIcon>
          <Stack gap={2} miw={0}>
            <Group gap="xs">
              <Title order={3} fz="lg" fw={600} style={{ overflowWrap: 'anywhere' }}>
                {title ?? (loaded ? `${name} was loaded` : `${name} was refused`)}
              </Title>
              <Badge variant="light" color="gray">
                {kindLabel(record.kind, templates)}
              </Badge>
            </Group>
            <Text size="sm" c="dimmed">
              {loaded
                ? 'Every row was accepted and saved.'
                : 'A file is loaded whole or not at all. Correct the rows listed below and upload the whole file again.'}
            </Text>
          </Stack>
        </Group>
        {loaded ? <Loaded record={record} /> : <Refused record={record} />}
        {loaded && record.kind === 'bank_file' && record.sha256 && <BankFileOutcome fileId={record.sha256} />}
      </Stack>
    </Card>
  );
}

function Loaded({ record }: { record: ImportRecord }) {
  const nothingChanged = count(record.rows_inserted) === 0 && count(record.rows_updated) === 0;
  return (
    <>
      <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="sm" data-testid="import-counts">
        <Figure label="Rows in the file" value={formatCount(record.rows_total)} testId="count-total" />
        <Figure label="New" value={formatCount(record.rows_inserted)} testId="count-inserted" color="teal" />
        <Figure
          label="Updated"
          value={formatCount(record.rows_updated)}
          testId="count-updated"
          color="indigo"
        />
        <Figure label="Unchanged" value={formatCount(record.rows_unchanged)} testId="count-unchanged" />
        <Figure label="Took" value={formatDuration(record.duration_ms) || '—'} testId="count-duration" />
      </SimpleGrid>
      {record.same_file_as ? (
        <Alert color="blue" variant="light" icon={<IconCopy size={18} />} data-testid="same-file-notice">
          <Text size="sm">
            This exact file (same SHA-256) was loaded before.{' '}
            {nothingChanged ? 'Loading it again changed nothing.' : 'Only rows that differ were saved.'}{' '}
            <Anchor component={Link} to={importPath(record.same_file_as)} size="sm">
              See the earlier load
            </Anchor>
          </Text>
        </Alert>
      ) : (
        nothingChanged &&
        count(record.rows_total) > 0 && (
          <Text size="sm" c="dimmed">
            Every row was already on file exactly as sent, so nothing changed.
          </Text>
        )
      )}
    </>
  );
}

function Refused({ record }: { record: ImportRecord }) {
  const errors = record.errors ?? [];
  const problems = count(record.error_count) || errors.length;
  const rejectedRows = count(record.rows_rejected);
  // A file refused for its header alone has no rows to hand back.
  const downloadable = rejectedRows > 0 || errors.some((issue) => (issue.line ?? 0) > 1);
  return (
    <>
      <Alert color="red" variant="light" title="Why the file was refused" data-testid="import-message">
        <Text size="sm">{record.message ?? 'The file could not be loaded.'}</Text>
      </Alert>
      <Group justify="space-between" align="flex-end" gap="sm">
        <Text size="sm">
          {formatCount(problems)} problem{problems === 1 ? '' : 's'}
          {rejectedRows > 0 &&
            ` in ${formatCount(rejectedRows)} of ${formatCount(record.rows_total)} row${count(record.rows_total) === 1 ? '' : 's'}`}
          {errors.length > 0 &&
            errors.length < problems &&
            ` (the first ${formatCount(errors.length)} are listed)`}
          .
        </Text>
        {downloadable && (
          <Button
            component="a"
            href={rejectedRowsUrl(record.import_id)}
            download={`${(record.file_name ?? record.kind).replace(/\.[^.]+$/, '')}_rejected.csv`}
            variant="light"
            color="red"
            size="xs"
            leftSection={<IconDownload size={16} />}
            data-testid="download-rejected"
          >
            Download rejected rows (CSV)
          </Button>
        )}
      </Group>
      {errors.length > 0 && <ImportErrorsGrid errors={errors} />}
      {downloadable && (
        <Text size="xs" c="dimmed">
          The download has the refused rows as they were read, with their line number and what is wrong with
          each, so they can be corrected in a spreadsheet.
        </Text>
      )}
    </>
  );
}

function Figure({
  label,
  value,
  testId,
  color,
}: {
  label: string;
  value: string;
  testId: string;
  color?: string;
}) {
  return (
    <Paper withBorder p="sm" data-testid={testId}>
      <Text size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text
        fz={22}
        fw={600}
        c={color ? `${color}.7` : undefined}
        ta="right"
        style={{ fontVariantNumeric: 'tabular-nums' }}
      >
        {value}
      </Text>
    </Paper>
  );
}
