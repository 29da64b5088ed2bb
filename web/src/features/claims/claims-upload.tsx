import { Alert, Button, FileButton, Group, List, Stack, Text } from '@mantine/core';
import { IconUpload } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { useSession } from '../identity/session';

interface UploadAnswer {
  import?: {
    import_id: string;
    status: 'loaded' | 'rejected';
    message: string;
    rows_total: number;
    errors: { line: number | null; column: string | null; reason: string }[];
  };
  error?: { message?: string };
}

/** Upload a claims.csv or claims.xlsx; whole or not at all, every refused row listed. */
export function ClaimsUpload() {
  const { csrfToken } = useSession();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<UploadAnswer | null>(null);

  const send = async (file: File | null) => {
    if (!file) return;
    setBusy(true);
    setAnswer(null);
    try {
      const form = new FormData();
      form.set('source', 'web');
      form.set('file', file, file.name);
      const response = await fetch('/api/claims/upload', {
        method: 'POST',
        body: form,
        credentials: 'same-origin',
        headers: { accept: 'application/json', ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) },
      });
      setAnswer((await response.json()) as UploadAnswer);
      await queryClient.invalidateQueries({ queryKey: ['claims'] });
    } catch {
      setAnswer({ error: { message: 'Clearhouse cannot be reached. Check your connection and try again.' } });
    } finally {
      setBusy(false);
    }
  };

  const result = answer?.import;
  return (
    <Stack gap="xs" data-testid="claims-upload">
      <Group>
        <FileButton onChange={(f) => void send(f)} accept=".csv,.xlsx">
          {(props) => (
            <Button {...props} variant="light" leftSection={<IconUpload size={16} />} loading={busy}>
              Upload claims.csv
            </Button>
          )}
        </FileButton>
        <Text size="xs" c="dimmed">
          One row per line, the claim’s header repeated (see the claims template).
        </Text>
      </Group>
      {result?.status === 'loaded' && (
        <Alert color="green" variant="light">
          {result.message}
        </Alert>
      )}
      {result?.status === 'rejected' && (
        <Alert color="red" variant="light" title="The file was refused; nothing was loaded">
          <List size="sm">
            {result.errors.slice(0, 20).map((e) => (
              <List.Item key={`${e.line}-${e.column}-${e.reason}`}>
                Line {e.line ?? '?'}
                {e.column ? `, ${e.column}` : ''}: {e.reason}
              </List.Item>
            ))}
          </List>
          <Text size="sm" mt="xs">
            <Link to={`/imports/${result.import_id}`}>All problems of this upload</Link>
          </Text>
        </Alert>
      )}
      {!result && answer?.error && (
        <Alert color="red" variant="light">
          {answer.error.message}
        </Alert>
      )}
    </Stack>
  );
}
