import { Anchor, Group, Stack, Title } from '@mantine/core';
import { IconBuilding } from '@tabler/icons-react';
import { Link } from 'react-router';
import { AccountCard } from '../features/accounts/account-card';
import { useAccount, useAccounts } from '../features/accounts/use-accounts';
import { useUser } from '../features/identity/session';
import { DocumentsPanel } from '../features/platform/documents/documents-panel';
import { todayDate } from '../features/receivables/receivables';
import { StatementSummary } from '../features/receivables/statement-view';
import { useStatement } from '../features/receivables/use-receivables';
import { PageHeader } from '../ui/page-header';
import { Empty, LoadError, Loading } from '../ui/states';

/** A partner's landing page: its organisation as the company has it on file, and the documents shared. */
export default function PortalHome() {
  const user = useUser();
  const accountId = user.account_id ?? '';
  const account = useAccount(accountId);
  const accounts = useAccounts();

  return (
    <>
      <PageHeader
        title={user.account_name ?? account.data?.name ?? 'Your organisation'}
        description={`Welcome, ${user.name}. This is your organisation as we have it on file: check the details and keep the documents we need current.`}
      />
      {!user.account_id ? (
        <Empty
          icon={<IconBuilding size={22} stroke={1.5} />}
          title="Your user is not linked to an organisation"
          description="Ask your contact at the company to link your user to your organisation's account."
        />
      ) : account.isPending ? (
        <Loading label="Loading your organisation…" />
      ) : account.isError ? (
        <LoadError error={account.error} retry={() => void account.refetch()} what="your organisation" />
      ) : (
        <Stack gap="lg">
          <OweSummary accountId={account.data.account_id} />
          <AccountCard account={account.data} accounts={accounts.data ?? []} />
          <DocumentsPanel entityType="account" entityId={account.data.account_id} />
        </Stack>
      )}
    </>
  );
}

/** What the partner owes today, at a glance, with the way to the whole statement. */
function OweSummary({ accountId }: { accountId: string }) {
  const today = todayDate();
  const statement = useStatement({ accountId, from: today, asOf: today });
  const s = statement.data;
  if (!s) return null;
  return (
    <Stack gap="xs" data-testid="home-owe">
      <Group justify="space-between" align="baseline">
        <Title order={3} fz="md" fw={600}>
          What you owe
        </Title>
        <Anchor component={Link} to="/my-account" size="sm">
          Open items, payments, your statement and disputes →
        </Anchor>
      </Group>
      {s.statements.map((st) => (
        <StatementSummary key={st.currency} s={s} st={st} />
      ))}
    </Stack>
  );
}
