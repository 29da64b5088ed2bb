import { Anchor, Breadcrumbs, Button, Grid, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconBuilding, IconPencil } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import { countryName } from '../features/accounts/account';
import { AccountCard } from '../features/accounts/account-card';
import { AccountFormModal } from '../features/accounts/account-form-modal';
import { useAccount, useAccounts } from '../features/accounts/use-accounts';
import { AccountCollections } from '../features/collections/account-collections';
import { useUser } from '../features/identity/session';
import { accountEditors, hasAnyRole, isPartner } from '../features/identity/user';
import { AuditTrail } from '../features/platform/audit/audit-trail';
import { DocumentsPanel } from '../features/platform/documents/documents-panel';
import { ApiError } from '../ui/api';
import { PageHeader } from '../ui/page-header';
import { Empty, LoadError, Loading } from '../ui/states';

export default function AccountPage() {
  const { accountId = '' } = useParams();
  const user = useUser();
  const partner = isPartner(user);
  const account = useAccount(accountId);
  const accounts = useAccounts();
  const [editing, edit] = useDisclosure(false);
  const mayEdit = hasAnyRole(user, accountEditors);
  const back = partner
    ? { to: '/organisation', label: 'My organisation' }
    : { to: '/accounts', label: 'Accounts' };

  if (account.isPending) return <Loading label="Loading account…" />;
  if (account.isError) {
    if (account.error instanceof ApiError && account.error.status === 404) {
      return (
        <Empty
          icon={<IconBuilding size={22} stroke={1.5} />}
          title="No such account"
          description={`There is no account ${accountId} that you can see.`}
          action={
            <Button component={Link} to={back.to} variant="light">
              Back to {back.label.toLowerCase()}
            </Button>
          }
        />
      );
    }
    return <LoadError error={account.error} retry={() => void account.refetch()} what="the account" />;
  }

  const { data } = account;
  return (
    <>
      <PageHeader
        above={
          <Breadcrumbs separatorMargin={6}>
            <Anchor component={Link} to={back.to} size="sm">
              {back.label}
            </Anchor>
            <Text size="sm" c="dimmed">
              {data.account_id}
            </Text>
          </Breadcrumbs>
        }
        title={data.name}
        description={`${countryName(data.country)} · ${data.currency} · ${data.payment_terms_days} days${data.segment ? ` · ${data.segment}` : ''}`}
        actions={
          mayEdit && (
            <Button leftSection={<IconPencil size={16} />} variant="default" onClick={edit.open}>
              Edit account
            </Button>
          )
        }
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: partner ? 12 : 8 }}>
          <Stack gap="lg">
            <AccountCard account={data} accounts={accounts.data ?? []} />
            <DocumentsPanel entityType="account" entityId={data.account_id} />
            {!partner && <AccountCollections accountId={data.account_id} />}
          </Stack>
        </Grid.Col>
        {!partner && (
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <AuditTrail entityType="account" entityId={data.account_id} />
          </Grid.Col>
        )}
      </Grid>
      {editing && <AccountFormModal account={data} onClose={edit.close} />}
    </>
  );
}
