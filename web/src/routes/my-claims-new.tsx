import { Anchor, Breadcrumbs, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useAccounts } from '../features/accounts/use-accounts';
import { SubmitClaimForm } from '../features/claims/submit-claim-form';
import { usePrograms } from '../features/contracts/use-contracts';
import { PageHeader } from '../ui/page-header';
import { LoadError, Loading } from '../ui/states';

/** The portal's claim form. */
export default function NewClaimPage() {
  const accounts = useAccounts();
  const programs = usePrograms();
  return (
    <Stack>
      <PageHeader
        above={
          <Breadcrumbs>
            <Anchor component={Link} to="/my-claims" size="sm">
              Claims
            </Anchor>
            <Text size="sm">New</Text>
          </Breadcrumbs>
        }
        title="Submit a claim"
        description="One line per sale (unit programs) or per period (volume, growth, MDF). Amounts like 12.50; the claim is checked at once."
      />
      {accounts.isPending || programs.isPending ? (
        <Loading />
      ) : accounts.isError ? (
        <LoadError error={accounts.error} what="your accounts" />
      ) : programs.isError ? (
        <LoadError error={programs.error} what="your programs" />
      ) : (
        <SubmitClaimForm
          accounts={accounts.data.map((a) => ({ value: a.account_id, label: `${a.name} (${a.account_id})` }))}
          programs={programs.data.map((p) => ({
            value: p.program_id,
            label: `${p.name} (${p.program_id})`,
            currency: p.currency,
          }))}
        />
      )}
    </Stack>
  );
}
