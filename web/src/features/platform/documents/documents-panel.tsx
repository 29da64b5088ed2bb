import { Anchor, Autocomplete, Card, Group, Stack, Text, Title } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { notifications } from '@mantine/notifications';
import { IconFiles, IconUpload, IconX } from '@tabler/icons-react';
import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { useMemo, useState } from 'react';
import { DataGrid } from '../../../ui/data-grid';
import { formatTimestamp } from '../../../ui/dates';
import { LoadError, Loading } from '../../../ui/states';
import { humanise } from '../../../ui/words';
import { contentUrl, documentTypes, formatSize, type StoredDocument } from './document';
import { useDocuments, useUploadDocument } from './use-documents';

const maxBytes = 25 * 1024 * 1024;

/** The documents filed against one record, and a place to drop more. */
export function DocumentsPanel({
  entityType,
  entityId,
  canUpload = true,
}: {
  entityType: string;
  entityId: string;
  canUpload?: boolean;
}) {
  const documents = useDocuments(entityType, entityId);
  const upload = useUploadDocument(entityType, entityId);
  const [documentType, setDocumentType] = useState('');
  const [busy, setBusy] = useState(false);

  const uploadAll = async (files: File[]) => {
    setBusy(true);
    for (const file of files) {
      try {
        await upload.mutateAsync({ file, documentType });
        notifications.show({ color: 'teal', title: 'Document filed', message: file.name });
      } catch (error) {
        notifications.show({
          color: 'red',
          title: `${file.name} was not filed`,
          message: error instanceof Error ? error.message : 'The upload failed.',
          autoClose: false,
        });
      }
    }
    setBusy(false);
  };

  const columns = useMemo<ColDef<StoredDocument>[]>(
    () => [
      {
        field: 'file_name',
        headerName: 'File',
        flex: 2,
        minWidth: 180,
        cellRenderer: FileLink,
        filter: false,
      },
      {
        field: 'document_type',
        headerName: 'Type',
        minWidth: 110,
        filter: false,
        valueFormatter: (p) => (p.value ? humanise(p.value) : ''),
      },
      {
        field: 'size_bytes',
        headerName: 'Size',
        type: 'rightAligned',
        minWidth: 80,
        maxWidth: 100,
        valueFormatter: (params) => formatSize(params.value ?? 0),
        filter: false,
      },
      { field: 'uploaded_by', headerName: 'Uploaded by', minWidth: 110, filter: false },
      {
        field: 'uploaded_at',
        headerName: 'Uploaded',
        minWidth: 175,
        sort: 'desc',
        valueFormatter: (params) => formatTimestamp(params.value),
        filter: false,
      },
    ],
    [],
  );

  return (
    <Card data-testid="documents-panel">
      <Group gap="xs" mb="md" justify="space-between">
        <Group gap="xs">
          <IconFiles size={18} />
          <Title order={3} fz="md" fw={600}>
            Documents
          </Title>
        </Group>
        {documents.data && documents.data.length > 0 && (
          <Text size="xs" c="dimmed">
            {documents.data.length} on file
          </Text>
        )}
      </Group>
      <Stack gap="md">
        {documents.isPending ? (
          <Loading label="Loading documents…" />
        ) : documents.isError ? (
          <LoadError error={documents.error} retry={() => void documents.refetch()} what="documents" />
        ) : documents.data.length === 0 ? (
          <Text size="sm" c="dimmed">
            No documents on file yet.{' '}
            {canUpload && 'Contracts, certificates, bank letters and correspondence can be dropped below.'}
          </Text>
        ) : (
          <DataGrid
            testId="documents-grid"
            rows={documents.data}
            columns={columns}
            rowId={(document) => document.document_id}
            height="auto"
          />
        )}
        {canUpload && (
          <Stack gap="xs">
            <Autocomplete
              label="Type of the next upload"
              placeholder="Optional, e.g. Contract"
              data={documentTypes}
              value={documentType}
              onChange={setDocumentType}
              maw={320}
              size="xs"
            />
            <Dropzone
              onDrop={(files) => void uploadAll(files)}
              onReject={(rejections) =>
                notifications.show({
                  color: 'red',
                  title: 'Not uploaded',
                  message: rejections
                    .map(
                      (rejection) => `${rejection.file.name}: ${rejection.errors[0]?.message ?? 'refused'}`,
                    )
                    .join('; '),
                })
              }
              maxSize={maxBytes}
              loading={busy}
              data-testid="documents-dropzone"
            >
              <Group justify="center" gap="md" mih={72} style={{ pointerEvents: 'none' }}>
                <Dropzone.Accept>
                  <IconUpload size={28} stroke={1.5} color="var(--mantine-color-indigo-6)" />
                </Dropzone.Accept>
                <Dropzone.Reject>
                  <IconX size={28} stroke={1.5} color="var(--mantine-color-red-6)" />
                </Dropzone.Reject>
                <Dropzone.Idle>
                  <IconUpload size={28} stroke={1.5} color="var(--mantine-color-dimmed)" />
                </Dropzone.Idle>
                <Stack gap={2}>
                  <Text size="sm">Drop files here or click to choose</Text>
                  <Text size="xs" c="dimmed">
                    PDF, spreadsheets, images or e-mails, up to 25 MB each
                  </Text>
                </Stack>
              </Group>
            </Dropzone>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

function FileLink({ data }: ICellRendererParams<StoredDocument>) {
  if (!data) return null;
  return (
    <Anchor
      href={contentUrl(data)}
      download={data.file_name}
      size="sm"
      title={`${data.media_type}, SHA-256 ${data.sha256}`}
    >
      {data.file_name}
    </Anchor>
  );
}
