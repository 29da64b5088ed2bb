import { useUser } from '../features/identity/session';
import { ImportWorkbench } from '../features/imports/import-workbench';
import { importHistoryQuery, importTemplatesQuery } from '../features/imports/use-imports';
import { PageHeader } from '../ui/page-header';
import { startInfiniteQuery, startQuery } from '../ui/query-client';

/**
 * What the page shows first: the templates a partner may upload and the first page of its uploads (the grid,
 * with its saved views, shows only once the partner has uploads).
 */
export function prefetch(): void {
  startQuery(importTemplatesQuery);
  startInfiniteQuery(importHistoryQuery({}));
}

/** The partner portal's uploads: sell-out reports and inventory for the partner's own accounts. */
export default function UploadsPage() {
  const user = useUser();
  return (
    <>
      <PageHeader
        title="Uploads"
        description={`Send your sell-out and inventory reports for ${user.account_name ?? 'your organisation'}. Each file is checked row by row and accepted whole or not at all; if anything is wrong you see every problem with its line, so you can correct the file and send it again.`}
      />
      <ImportWorkbench partner />
    </>
  );
}
