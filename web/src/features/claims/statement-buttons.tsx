import { Button, Group } from '@mantine/core';
import { IconFileSpreadsheet, IconFileTypePdf } from '@tabler/icons-react';

const claimUrl = (claimId: string, file: string) => `/api/claims/${encodeURIComponent(claimId)}/${file}`;

/** Downloads of one claim for the partner's records: the statement (PDF) and the reconciliation (XLSX). */
export function StatementButtons({ claimId }: { claimId: string }) {
  return (
    <Group gap="xs" data-testid="claim-downloads">
      <Button
        component="a"
        href={claimUrl(claimId, 'statement.pdf')}
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
        href={claimUrl(claimId, 'reconciliation.xlsx')}
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
