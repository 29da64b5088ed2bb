import { Button, Group } from '@mantine/core';
import { IconFileSpreadsheet, IconFileTypePdf } from '@tabler/icons-react';
import { claimApi } from './claim';

const claimUrl = (claimId: string, accountId: string | null | undefined, file: string) =>
  claimApi(claimId, accountId, `/${file}`);

/** Downloads of one claim for the partner's records: the statement (PDF) and the reconciliation (XLSX). */
export function StatementButtons({ claimId, accountId }: { claimId: string; accountId?: string | null }) {
  return (
    <Group gap="xs" data-testid="claim-downloads">
      <Button
        component="a"
        href={claimUrl(claimId, accountId, 'statement.pdf')}
        download
        variant="default"
        size="xs"
        leftSection={<IconFileTypePdf size={16} />}
        data-testid="claim-statement-pdf"
      >
        Claim statement (PDF)
      </Button>
      <Button
        component="a"
        href={claimUrl(claimId, accountId, 'reconciliation.xlsx')}
        download
        variant="default"
        size="xs"
        leftSection={<IconFileSpreadsheet size={16} />}
        data-testid="claim-reconciliation-xlsx"
      >
        Reconciliation (XLSX)
      </Button>
    </Group>
  );
}
