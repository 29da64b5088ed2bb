import {
  Alert,
  Anchor,
  Autocomplete,
  Badge,
  Card,
  Code,
  Grid,
  Group,
  NavLink,
  ScrollArea,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { notifications } from '@mantine/notifications';
import { IconFileText, IconUpload } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../../ui/api';
import { formatTimestamp } from '../../ui/dates';
import { LoadError, Loading } from '../../ui/states';
import { humanise } from '../../ui/words';
import { contentUrl, formatSize, type StoredDocument } from '../platform/documents/document';
import { useDocuments } from '../platform/documents/use-documents';
import { claimApi } from './claim';

const previewable = (type: string) =>
  type === 'application/pdf' ||
  type.startsWith('image/') ||
  type.startsWith('text/') ||
  type === 'message/rfc822';

/**
 * The document as the browser can show it. The content is fetched (with the session) and shown from a blob,
 * so the server keeps serving documents as downloads and never renders an uploaded file as a page itself.
 */
function useDocumentContent(document: StoredDocument | undefined) {
  return useQuery({
    queryKey: ['documents', 'content', document?.document_id],
    enabled: document !== undefined && previewable(document.media_type),
    queryFn: async ({ signal }) => {
      const res = await fetch(contentUrl(document!), { signal, credentials: 'same-origin' });
      if (!res.ok) throw new Error(`The document could not be read (${res.status}).`);
      const blob = await res.blob();
      const type = document!.media_type;
      if (type.startsWith('text/') || type === 'message/rfc822')
        return { kind: 'text' as const, text: await blob.text() };
      return { kind: 'blob' as const, blob: new Blob([blob], { type }) };
    },
    staleTime: Number.POSITIVE_INFINITY,
  });
}

function Preview({ document }: { document: StoredDocument }) {
  const content = useDocumentContent(document);
  const blob = content.data?.kind === 'blob' ? content.data.blob : undefined;
  const [url, setUrl] = useState<string | undefined>();
  useEffect(() => {
    if (!blob) return;
    const made = URL.createObjectURL(blob);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [blob]);
  if (!previewable(document.media_type)) {
    return (
      <Alert variant="light" color="gray" title="No preview for this kind of file">
        {document.media_type}:{' '}
        <Anchor href={contentUrl(document)} download={document.file_name}>
          download {document.file_name}
        </Anchor>
      </Alert>
    );
  }
  if (content.isPending) return <Loading label="Opening the document…" />;
  if (content.isError) return <LoadError error={content.error} what="the document" />;
  if (content.data.kind === 'text') {
    return (
      <ScrollArea.Autosize mah={480}>
        <Code block data-testid="document-text" style={{ whiteSpace: 'pre-wrap' }}>
          {content.data.text}
        </Code>
      </ScrollArea.Autosize>
    );
  }
  if (!url) return <Loading label="Opening the document…" />;
  if (document.media_type.startsWith('image/')) {
    return <img src={url} alt={document.file_name} style={{ maxWidth: '100%', maxHeight: 480 }} />;
  }
  return (
    <iframe
      title={document.file_name}
      src={url}
      style={{ width: '100%', height: 480, border: 0 }}
      data-testid="document-frame"
    />
  );
}

const commonTypes = [
  'proof_of_sale',
  'proof_of_performance',
  'invoice_copy',
  'deal_approval',
  'correspondence',
];

/** Uploads to the claim itself, so the document type counts for MISSING_DOCUMENT and validation runs again. */
function useAttachDocument(claimId: string, accountId?: string | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, documentType }: { file: File; documentType: string }) => {
      const form = new FormData();
      form.set('document_type', documentType);
      form.set('file', file, file.name);
      return api<{ document: StoredDocument }>(claimApi(claimId, accountId, '/documents'), {
        method: 'POST',
        body: form,
      }).then((body) => body.document);
    },
    onSuccess: () => {
      const refresh = () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: ['documents', 'claim', claimId] }),
          queryClient.invalidateQueries({ queryKey: ['claims'] }),
          queryClient.invalidateQueries({ queryKey: ['audit', 'claim', claimId] }),
        ]);
      // Validation runs as a job right after the upload: look again once it has had time to finish.
      setTimeout(() => void refresh(), 2500);
      return refresh();
    },
  });
}

/**
 * The claim's documents side by side with the one being read (PDFs, images and text open in place), and a
 * place to attach more with their type — the types the program still misses are offered first.
 */
export function ClaimDocumentsViewer({
  claimId,
  accountId,
  named,
  missingTypes,
  canUpload,
}: {
  claimId: string;
  accountId?: string | null;
  named: { document_type: string; file_name: string; document_id: string | null }[];
  /** Document types the program requires that the claim lacks (from MISSING_DOCUMENT). */
  missingTypes: string[];
  canUpload: boolean;
}) {
  const documents = useDocuments('claim', claimId, accountId);
  const attach = useAttachDocument(claimId, accountId);
  const [selected, setSelected] = useState<string | null>(null);
  const [documentType, setDocumentType] = useState(missingTypes[0] ?? '');
  const list = documents.data ?? [];
  const current = list.find((d) => d.document_id === selected) ?? list[0];
  const missing = named.filter((n) => !n.document_id);
  const upload = async (files: File[]) => {
    for (const file of files) {
      try {
        await attach.mutateAsync({ file, documentType: documentType.trim() });
        notifications.show({
          color: 'teal',
          title: 'Document attached',
          message: `${file.name} (${documentType})`,
        });
      } catch (error) {
        notifications.show({
          color: 'red',
          title: `${file.name} was not attached`,
          message: error instanceof Error ? error.message : 'The upload failed.',
          autoClose: false,
        });
      }
    }
  };
  return (
    <Card data-testid="claim-documents-viewer">
      <Group gap="xs" mb="sm">
        <IconFileText size={18} />
        <Title order={3} fz="md" fw={600}>
          Documents of the claim
        </Title>
      </Group>
      {documents.isPending ? (
        <Loading label="Loading documents…" />
      ) : documents.isError ? (
        <LoadError error={documents.error} retry={() => void documents.refetch()} what="documents" />
      ) : list.length === 0 ? (
        <Text size="sm" c="dimmed">
          No documents are attached to this claim yet.
          {missing.length > 0 &&
            ` Named in claim_documents.csv but not received: ${missing.map((m) => m.file_name).join(', ')}.`}
        </Text>
      ) : (
        <Grid>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Stack gap={2}>
              {list.map((d) => (
                <NavLink
                  key={d.document_id}
                  active={d.document_id === current?.document_id}
                  onClick={() => setSelected(d.document_id)}
                  label={d.file_name}
                  description={`${d.document_type ? humanise(d.document_type) : 'Document'} · ${formatSize(d.size_bytes)} · ${formatTimestamp(d.uploaded_at)}`}
                  rightSection={
                    d.document_type ? (
                      <Badge size="xs" variant="light">
                        {humanise(d.document_type)}
                      </Badge>
                    ) : null
                  }
                  data-testid={`claim-document-${d.file_name}`}
                />
              ))}
              {missing.length > 0 && (
                <Text size="xs" c="orange.8" mt="xs">
                  Named but not received:{' '}
                  {missing.map((m) => `${m.file_name} (${humanise(m.document_type)})`).join(', ')}
                </Text>
              )}
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 7 }}>{current && <Preview document={current} />}</Grid.Col>
        </Grid>
      )}
      {canUpload && (
        <Stack gap="xs" mt="md">
          {missingTypes.length > 0 && (
            <Text size="sm" c="orange.8">
              The program needs: {missingTypes.join(', ')}.
            </Text>
          )}
          <Group align="flex-end" gap="sm">
            <Autocomplete
              label="Document type"
              description="What the file is; required documents count by their type"
              data={[...new Set([...missingTypes, ...commonTypes])]}
              value={documentType}
              onChange={setDocumentType}
              w={300}
              size="xs"
              data-testid="claim-document-type"
            />
          </Group>
          <Dropzone
            onDrop={(files) => void upload(files)}
            disabled={documentType.trim() === ''}
            loading={attach.isPending}
            maxSize={25 * 1024 * 1024}
            data-testid="claim-document-dropzone"
          >
            <Group justify="center" gap="md" mih={60} style={{ pointerEvents: 'none' }}>
              <IconUpload size={24} stroke={1.5} color="var(--mantine-color-dimmed)" />
              <Text size="sm">
                {documentType.trim()
                  ? `Drop the ${documentType} here or click to choose`
                  : 'Choose a document type first'}
              </Text>
            </Group>
          </Dropzone>
        </Stack>
      )}
    </Card>
  );
}
