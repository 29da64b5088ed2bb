import { ImportWorkbench } from '../features/imports/import-workbench';
import { importHistoryQuery, importTemplatesQuery } from '../features/imports/use-imports';
import { gridViewsQuery } from '../ui/grid-views';
import { PageHeader } from '../ui/page-header';
import { startInfiniteQuery, startQuery } from '../ui/query-client';

/** What the page shows first: the templates, the history's first page and the history grid's saved views. */
export function prefetch(): void {
  startQuery(importTemplatesQuery);
  startInfiniteQuery(importHistoryQuery({}));
  startQuery(gridViewsQuery('import-history'));
}

export default function ImportsPage() {
  return (
    <>
      <PageHeader
        title="Imports"
        description="Load master data, contracts and channel data from files. A file is checked row by row and loaded whole or not at all; loading the same rows again changes nothing."
      />
      <ImportWorkbench />
    </>
  );
}
