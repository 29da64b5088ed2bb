import { useUser } from '../features/identity/session';
import { ImportWorkbench } from '../features/imports/import-workbench';
import { PageHeader } from '../ui/page-header';

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
