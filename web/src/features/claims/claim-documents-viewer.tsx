import {
  Alert,
  Anchor,
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
import { IconFileText } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { formatTimestamp } from '../../ui/dates';
import { LoadError, Loading } from '../../ui/states';
import { contentUrl, formatSize, type StoredDocument } from '../platform/documents/document';
import { useDocuments } from '../platform/documents/use-documents';

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
        <Code block data-testid="document-text">
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

/** The claim's documents side by side with the one being read: PDFs, images and text open in place. */
export function ClaimDocumentsViewer({
  claimId,
  named,
}: {
  claimId: string;
  named: { document_type: string; file_name: string; document_id: string | null }[];
}) {
  const documents = useDocuments('claim', claimId);
  const [selected, setSelected] = useState<string | null>(null);
  const list = documents.data ?? [];
  const current = list.find((d) => d.document_id === selected) ?? list[0];
  const missing = named.filter((n) => !n.document_id);
  if (documents.isSuccess && list.length === 0 && missing.length === 0) return null;
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
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Stack gap={2}>
              {list.map((d) => (
                <NavLink
                  key={d.document_id}
                  active={d.document_id === current?.document_id}
                  onClick={() => setSelected(d.document_id)}
                  label={d.file_name}
                  description={`${d.document_type ?? 'document'} · ${formatSize(d.size_bytes)} · ${formatTimestamp(d.uploaded_at)}`}
                  rightSection={
                    d.document_type ? (
                      <Badge size="xs" variant="light">
                        {d.document_type}
                      </Badge>
                    ) : null
                  }
                  data-testid={`claim-document-${d.file_name}`}
                />
              ))}
              {missing.length > 0 && (
                <Text size="xs" c="orange.8" mt="xs">
                  Named but not received:{' '}
                  {missing.map((m) => `${m.file_name} (${m.document_type})`).join(', ')}
                </Text>
              )}
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>{current && <Preview document={current} />}</Grid.Col>
        </Grid>
      )}
    </Card>
  );
}
