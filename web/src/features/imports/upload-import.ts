import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { ApiError, type FieldIssue } from '../../ui/api';
import { useSession } from '../identity/session';
import type { ImportRecord } from './import';

/**
 * Uploads go through XMLHttpRequest rather than the api() client because fetch cannot report upload
 * progress, and because a refused file (422) carries the import record beside the error, which api() drops.
 */
function send(
  form: FormData,
  csrfToken: string | null,
  onProgress: (fraction: number) => void,
  onSent: () => void,
): { done: Promise<ImportRecord>; abort: () => void } {
  const request = new XMLHttpRequest();
  const done = new Promise<ImportRecord>((resolve, reject) => {
    request.open('POST', '/api/imports');
    request.setRequestHeader('accept', 'application/json');
    if (csrfToken) request.setRequestHeader('x-csrf-token', csrfToken);
    request.withCredentials = true;
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    request.upload.onload = onSent;
    request.onerror = () =>
      reject(
        new ApiError(0, 'unavailable', 'Clearhouse cannot be reached. Check your connection and try again.'),
      );
    request.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    request.onload = () => {
      let body: {
        import?: ImportRecord;
        error?: { code?: string; message?: string; issues?: FieldIssue[] };
      } = {};
      try {
        body = JSON.parse(request.responseText);
      } catch {
        // Not JSON (a proxy's error page): the status line below says what happened.
      }
      // Loaded (201) and refused (422) both describe the import; a refused one is a result, not a failure.
      if (body.import && (request.status < 300 || request.status === 422)) {
        resolve(
          body.import.status === 'rejected' && !body.import.message && body.error?.message
            ? { ...body.import, message: body.error.message }
            : body.import,
        );
        return;
      }
      reject(
        new ApiError(
          request.status,
          body.error?.code ?? (request.status >= 500 ? 'internal' : 'bad_request'),
          body.error?.message ?? `The server answered ${request.status} ${request.statusText}.`,
          Array.isArray(body.error?.issues) ? body.error.issues : [],
        ),
      );
    };
    request.send(form);
  });
  return { done, abort: () => request.abort() };
}

export type UploadState =
  | { phase: 'idle' }
  | { phase: 'uploading'; fileName: string; fraction: number }
  /** The file is on the server, which is reading and checking every row. */
  | { phase: 'checking'; fileName: string }
  | { phase: 'done'; fileName: string; result: ImportRecord }
  | { phase: 'failed'; fileName: string; error: unknown };

export function useUploadImport() {
  const { csrfToken } = useSession();
  const queryClient = useQueryClient();
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const current = useRef<{ abort: () => void } | null>(null);

  const upload = useCallback(
    async (file: File, kind: string | null) => {
      const form = new FormData();
      form.set('source', 'web');
      if (kind) form.set('kind', kind);
      // The file goes last: a streaming multipart parser sees the fields before the content.
      form.set('file', file, file.name);
      const fileName = file.name;
      setState({ phase: 'uploading', fileName, fraction: 0 });
      const request = send(
        form,
        csrfToken,
        (fraction) =>
          setState((now) => (now.phase === 'uploading' ? { phase: 'uploading', fileName, fraction } : now)),
        () => setState({ phase: 'checking', fileName }),
      );
      current.current = request;
      try {
        const result = await request.done;
        setState({ phase: 'done', fileName, result });
        // A load can change any list on screen (accounts, products, sell-out …); a refusal changes only history.
        await queryClient.invalidateQueries({
          predicate: (query) =>
            result.status === 'loaded' ? query.queryKey[0] !== 'session' : query.queryKey[0] === 'imports',
        });
      } catch (error) {
        if (error instanceof DOMException && error.name === 'AbortError') {
          setState({ phase: 'idle' });
          return;
        }
        // A lost session: reading it again sends the user to sign in.
        if (error instanceof ApiError && error.status === 401) {
          void queryClient.invalidateQueries({ queryKey: ['session'] });
        }
        setState({ phase: 'failed', fileName, error });
      } finally {
        current.current = null;
      }
    },
    [csrfToken, queryClient],
  );

  const cancel = useCallback(() => current.current?.abort(), []);
  const reset = useCallback(() => setState({ phase: 'idle' }), []);
  return { state, upload, cancel, reset };
}
