import { Alert, Anchor, Group, Text } from '@mantine/core';
import { IconBuildingBank } from '@tabler/icons-react';
import { Link } from 'react-router';
import { formatMoney } from '../../ui/money';
import { useUser } from '../identity/session';
import { hasAnyRole } from '../identity/user';
import { bankFilePath, cashDesk } from './cash';
import { useBankFile } from './use-cash';

/** Under a loaded bank file's import result: its credits and what the matching did with them so far. */
export function BankFileOutcome({ fileId }: { fileId: string }) {
  const user = useUser();
  return hasAnyRole(user, cashDesk) ? <Outcome fileId={fileId} /> : null;
}

function Outcome({ fileId }: { fileId: string }) {
  const file = useBankFile(fileId);
  const f = file.data?.file;
  // Matching runs as a job after the load: look again until no credit waits for it.
  const waiting = Boolean(f && f.new_count > 0);
  if (!f) return null;
  const ties = file.data?.statements.every((s) => s.ties !== false) ?? true;
  return (
    <Alert
      variant="light"
      color={waiting ? 'blue' : f.exception_count ? 'orange' : 'teal'}
      icon={<IconBuildingBank size={18} />}
      title={`A ${f.format.toUpperCase()} bank file: ${f.credit_count} credit${f.credit_count === 1 ? '' : 's'} (${formatMoney(f.credit_total)})${f.debit_count ? `, ${f.debit_count} debit${f.debit_count === 1 ? '' : 's'}` : ''}`}
      data-testid="bank-file-outcome"
    >
      <Text size="sm">
        {waiting
          ? `${f.new_count} credit(s) wait for the matching run (it starts after each load; Cash runs can start one now). `
          : `${f.applied_count} applied, ${f.exception_count} left as exception${f.exception_count === 1 ? '' : 's'}. `}
        {ties
          ? 'The statements tie to their control totals.'
          : 'A statement does not tie to its control totals.'}
      </Text>
      <Group gap="md" mt={6}>
        <Anchor component={Link} to={bankFilePath(f.file_id)} size="sm">
          Open the bank statement
        </Anchor>
        {f.exception_count > 0 && (
          <Anchor component={Link} to="/cash-exceptions" size="sm">
            Work the exceptions
          </Anchor>
        )}
        {waiting && (
          <Anchor component={Link} to="/cash-runs" size="sm">
            Cash runs
          </Anchor>
        )}
      </Group>
    </Alert>
  );
}
