import { Alert, Button, Card, Group, Progress, Select, Stack, Text, Title } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconFileSpreadsheet, IconUpload, IconX } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { ImportTemplate } from './import';
import type { UploadState } from './upload-import';

const auto = 'auto';

// Spreadsheet programs label CSV files inconsistently, so the extension alone also admits a file.
const accept = {
  'text/csv': ['.csv'],
  'application/vnd.ms-excel': ['.csv'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['.xlsx'],
  'application/json': ['.json'],
};

/** Would the drop zone, with its templates known, take this file? (react-dropzone's rule for `accept`.) */
function acceptable(file: File): boolean {
  const name = file.name.toLowerCase();
  return Object.entries(accept).some(
    ([type, extensions]) => file.type === type || extensions.some((ext) => name.endsWith(ext)),
  );
}

/**
 * Choose a template (or let the file name say which), drop one file, follow its upload. Until the templates
 * have arrived (`ready`) the drop zone cannot know which files it takes (bank files come with any extension),
 * so a file dropped early is held and uploaded, or refused with the reason, once they are known: it is never
 * lost.
 */
export function ImportDropzone({
  templates,
  ready = true,
  state,
  onUpload,
  onCancel,
  onDismiss,
}: {
  templates: readonly ImportTemplate[];
  /** The templates have arrived. */
  ready?: boolean;
  state: UploadState;
  onUpload: (file: File, kind: string | null) => void;
  onCancel: () => void;
  onDismiss: () => void;
}) {
  const [kind, setKind] = useState<string>(auto);
  const busy = state.phase === 'uploading' || state.phase === 'checking';
  const chosen = templates.find((template) => template.kind === kind);
  // Bank files (BAI2, lockbox, camt, NACHA, X12 820) come with any extension; the server reads their content.
  const anyFile = templates.some((template) => template.format === 'bank');
  const [held, setHeld] = useState<{ file: File; kind: string | null } | null>(null);
  useEffect(() => {
    if (!ready || !held) return;
    setHeld(null);
    if (anyFile || acceptable(held.file)) onUpload(held.file, held.kind);
    else
      notifications.show({
        color: 'red',
        title: 'Not uploaded',
        message: `${held.file.name}: ${rejectionReason('file-invalid-type')}`,
      });
  }, [ready, held, anyFile, onUpload]);
  const examples = templates
    .slice(0, 2)
    .map((template) => template.file_name)
    .join(' or ');

  return (
    <Card data-testid="import-upload">
      <Stack gap="md">
        <Group gap="xs">
          <IconUpload size={18} />
          <Title order={3} fz="md" fw={600}>
            Upload a file
          </Title>
        </Group>
        <Select
          label="Template"
          data={[
            {
              value: auto,
              label: anyFile ? 'Recognise from the file name or content' : 'Recognise from the file name',
            },
            ...templates.map((template) => ({ value: template.kind, label: template.label })),
          ]}
          value={kind}
          onChange={(value) => setKind(value ?? auto)}
          allowDeselect={false}
          description={
            chosen
              ? `${chosen.description} Expected columns are listed under Templates.`
              : examples
                ? `Name the file after its template, e.g. ${examples}; a prefix such as 2026-10_ is fine.`
                : undefined
          }
          maw={420}
          data-testid="import-template"
          disabled={busy}
        />
        <Dropzone
          onDrop={(files) => {
            const file = files[0];
            if (!file) return;
            if (ready) onUpload(file, kind === auto ? null : kind);
            else setHeld({ file, kind: kind === auto ? null : kind });
          }}
          onReject={(rejections) =>
            notifications.show({
              color: 'red',
              title: 'Not uploaded',
              message: rejections
                .map((rejection) => `${rejection.file.name}: ${rejectionReason(rejection.errors[0]?.code)}`)
                .join('; '),
            })
          }
          accept={anyFile || !ready ? undefined : accept}
          multiple={false}
          maxFiles={1}
          disabled={busy}
          data-testid="import-dropzone"
        >
          <Group justify="center" gap="md" mih={96} style={{ pointerEvents: 'none' }}>
            <Dropzone.Accept>
              <IconUpload size={32} stroke={1.5} color="var(--mantine-color-indigo-6)" />
            </Dropzone.Accept>
            <Dropzone.Reject>
              <IconX size={32} stroke={1.5} color="var(--mantine-color-red-6)" />
            </Dropzone.Reject>
            <Dropzone.Idle>
              <IconFileSpreadsheet size={32} stroke={1.5} color="var(--mantine-color-dimmed)" />
            </Dropzone.Idle>
            <Stack gap={2}>
              <Text size="sm" fw={500}>
                Drop a file here or click to choose
              </Text>
              <Text size="xs" c="dimmed">
                CSV or XLSX (first sheet) with the template's columns
                {templates.some((template) => template.format === 'json') ? '; programs as JSON' : ''}
                {anyFile
                  ? '; bank files (BAI2, lockbox, camt.053/054, NACHA, X12 820) as the bank sends them'
                  : ''}
                . One file at a time.
              </Text>
            </Stack>
          </Group>
        </Dropzone>
        {held && (
          <Text size="sm" data-testid="import-held">
            <b>{held.file.name}</b> is uploaded as soon as the templates have loaded…
          </Text>
        )}
        <Progressing state={state} onCancel={onCancel} onDismiss={onDismiss} />
      </Stack>
    </Card>
  );
}

function Progressing({
  state,
  onCancel,
  onDismiss,
}: {
  state: UploadState;
  onCancel: () => void;
  onDismiss: () => void;
}) {
  if (state.phase === 'uploading') {
    const percent = Math.round(state.fraction * 100);
    return (
      <Stack gap={6} data-testid="import-progress">
        <Group justify="space-between">
          <Text size="sm">
            Uploading <b>{state.fileName}</b>… {percent} %
          </Text>
          <Button size="xs" variant="subtle" color="gray" onClick={onCancel}>
            Cancel
          </Button>
        </Group>
        <Progress value={percent} size="sm" transitionDuration={150} />
      </Stack>
    );
  }
  if (state.phase === 'checking') {
    return (
      <Stack gap={6} data-testid="import-progress">
        <Text size="sm">
          Checking and loading every row of <b>{state.fileName}</b>…
        </Text>
        <Progress value={100} size="sm" striped animated />
      </Stack>
    );
  }
  if (state.phase === 'failed') {
    return (
      <Alert
        color="red"
        icon={<IconAlertCircle size={18} />}
        title={`${state.fileName} was not uploaded`}
        withCloseButton
        onClose={onDismiss}
        data-testid="import-failed"
      >
        {state.error instanceof Error ? state.error.message : 'The upload failed.'}
      </Alert>
    );
  }
  return null;
}

function rejectionReason(code: string | undefined): string {
  if (code === 'file-invalid-type') return 'only CSV, XLSX and JSON files can be imported';
  if (code === 'too-many-files') return 'drop one file at a time';
  return 'refused';
}
