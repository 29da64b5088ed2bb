import { ImportWorkbench } from '../features/imports/import-workbench';
import { PageHeader } from '../ui/page-header';

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
