import { Anchor, Breadcrumbs, Button, Divider, Grid, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconBuilding,
  IconMailForward,
  IconPencil,
  IconReceiptRefund,
  IconUserUp,
} from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import { countryName } from '../features/accounts/account';
import { AccountCard } from '../features/accounts/account-card';
import { AccountFormModal } from '../features/accounts/account-form-modal';
import { accountQuery, accountsQuery, useAccount, useAccounts } from '../features/accounts/use-accounts';
import { adjustmentRequesters } from '../features/adjustments/adjustments';
import { AdjustmentsCard } from '../features/adjustments/adjustments-card';
import { RequestAdjustmentModal } from '../features/adjustments/request-adjustment-modal';
import { adjustmentsQuery } from '../features/adjustments/use-adjustments';
import { cashDesk } from '../features/cash/cash';
import { CreditClearing } from '../features/cash/credit-clearing';
import { clearingQuery } from '../features/cash/use-cash';
import {
  AccountSummary,
  AccountTasks,
  ClaimsAndCredits,
  ContactsCard,
  StatementsSent,
  StrategyCard,
} from '../features/collections/account-360';
import {
  AccountTimeline,
  OpenItems,
  openItemsParams,
  PromisesList,
} from '../features/collections/account-collections';
import { collectionsReaders, collectionsWriters, taskReaders } from '../features/collections/collections';
import { SendEmailModal } from '../features/collections/send-email-modal';
import { CreateTaskModal } from '../features/collections/task-modals';
import {
  accountOverviewQuery,
  promisesQuery,
  tasksQuery,
  timelineQuery,
  useAccountOverview,
} from '../features/collections/use-collections';
import { creditReaders, limitRequesters } from '../features/credit/credit';
import { CreditCard } from '../features/credit/credit-card';
import { accountCreditQuery } from '../features/credit/use-credit';
import { AccountDeductions, accountDeductionsFilter } from '../features/deductions/account-deductions';
import { deductionsQuery } from '../features/deductions/use-deductions';
import { disputeOpeners, disputeReaders } from '../features/disputes/disputes';
import { DisputesCard } from '../features/disputes/disputes-card';
import { disputesQuery } from '../features/disputes/use-disputes';
import { ediReaders } from '../features/edi/edi';
import { EdiStatusCard } from '../features/edi/edi-status-card';
import { accountEdiQuery } from '../features/edi/use-edi';
import { sessionUser, useUser } from '../features/identity/session';
import { accountEditors, hasAnyRole, isPartner } from '../features/identity/user';
import { AuditTrail } from '../features/platform/audit/audit-trail';
import { auditTrailQuery } from '../features/platform/audit/use-audit';
import { DocumentsPanel } from '../features/platform/documents/documents-panel';
import { documentsQuery } from '../features/platform/documents/use-documents';
import { receivablesReaders, todayDate } from '../features/receivables/receivables';
import { openItemsQuery } from '../features/receivables/use-receivables';
import { CertificatesCard } from '../features/tax/certificates-card';
import { certificateReaders, certificateRequesters } from '../features/tax/tax';
import { accountTaxExceptionsQuery, certificatesQuery } from '../features/tax/use-tax';
import { ApiError } from '../ui/api';
import { PageHeader } from '../ui/page-header';
import { startAfter, startQuery } from '../ui/query-client';
import { Empty, LoadError, Loading } from '../ui/states';

/**
 * What the page asks for first, all at once: the account and, for the desk, its overview and the cards' own
 * questions, which the page would otherwise ask one level after another (the account, then its overview, then
 * the cards drawn from it).
 */
export function prefetch(url: URL): void {
  const accountId = decodeURIComponent(url.pathname.split('/').at(-1) ?? '');
  startQuery(accountQuery(accountId));
  startQuery(accountsQuery);
  startAfter(sessionUser(), (user) => {
    if (!user || isPartner(user) || !hasAnyRole(user, collectionsReaders)) return;
    startQuery(accountOverviewQuery(accountId));
    startQuery(timelineQuery(accountId));
    startQuery(promisesQuery(accountId));
    startQuery(deductionsQuery(accountDeductionsFilter(accountId)));
    startQuery(documentsQuery('account', accountId));
    startQuery(auditTrailQuery('account', accountId));
    if (hasAnyRole(user, receivablesReaders))
      startQuery(openItemsQuery(accountId, openItemsParams(todayDate())));
    if (hasAnyRole(user, ediReaders)) startQuery(accountEdiQuery(accountId));
    // The cards beside the overview, each as it asks (their own filters), for the roles that see it.
    if (hasAnyRole(user, cashDesk)) startQuery(clearingQuery(accountId));
    if (hasAnyRole(user, creditReaders)) startQuery(accountCreditQuery(accountId));
    if (hasAnyRole(user, disputeReaders)) {
      startQuery(disputesQuery({ account_id: accountId, state: 'all' }));
      if (hasAnyRole(user, receivablesReaders))
        startQuery(disputesQuery({ account_id: accountId, state: 'active' }));
    }
    if (hasAnyRole(user, certificateReaders)) {
      startQuery(certificatesQuery({ account_id: accountId }));
      startQuery(accountTaxExceptionsQuery(accountId));
    }
    if (hasAnyRole(user, adjustmentRequesters)) startQuery(adjustmentsQuery({ account_id: accountId }));
    if (hasAnyRole(user, taskReaders)) startQuery(tasksQuery({ account_id: accountId, status: 'open' }));
  });
}

/**
 * An account. For the collections desk it is Account 360: balance and aging, open items, the timeline,
 * contacts, the collection strategy, promises, tasks, statements sent, and the partner's claims and credit
 * memos. Partners see their own account's details and documents.
 */
export default function AccountPage() {
  const { accountId = '' } = useParams();
  const user = useUser();
  const partner = isPartner(user);
  const account = useAccount(accountId);
  const accounts = useAccounts();
  const [editing, edit] = useDisclosure(false);
  const [reminding, remind] = useDisclosure(false);
  const [escalating, escalate] = useDisclosure(false);
  const [adjusting, adjust] = useDisclosure(false);
  const mayAdjust = !partner && hasAnyRole(user, adjustmentRequesters);
  const mayEdit = hasAnyRole(user, accountEditors);
  const desk = !partner && hasAnyRole(user, collectionsReaders);
  const mayWrite = hasAnyRole(user, collectionsWriters);
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
          <>
            {desk && mayWrite && (
              <>
                <Button
                  leftSection={<IconMailForward size={16} />}
                  variant="light"
                  onClick={remind.open}
                  data-testid="send-account-reminder"
                >
                  Send reminder
                </Button>
                <Button leftSection={<IconUserUp size={16} />} variant="light" onClick={escalate.open}>
                  Escalate
                </Button>
              </>
            )}
            {mayAdjust && (
              <Button
                leftSection={<IconReceiptRefund size={16} />}
                variant="light"
                onClick={adjust.open}
                data-testid="request-adjustment"
              >
                Request adjustment
              </Button>
            )}
            {mayEdit && (
              <Button leftSection={<IconPencil size={16} />} variant="default" onClick={edit.open}>
                Edit account
              </Button>
            )}
          </>
        }
      />
      {desk ? (
        <Account360 accountId={data.account_id} mayWrite={mayWrite} />
      ) : (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, lg: partner ? 12 : 8 }}>
            <Stack gap="lg">
              <AccountCard account={data} accounts={accounts.data ?? []} />
              <DocumentsPanel entityType="account" entityId={data.account_id} />
            </Stack>
          </Grid.Col>
          {!partner && (
            <Grid.Col span={{ base: 12, lg: 4 }}>
              <Stack gap="lg">
                {hasAnyRole(user, creditReaders) && (
                  <CreditCard
                    accountId={data.account_id}
                    currency={data.currency}
                    mayRequest={hasAnyRole(user, limitRequesters)}
                  />
                )}
                <AuditTrail entityType="account" entityId={data.account_id} />
              </Stack>
            </Grid.Col>
          )}
        </Grid>
      )}
      {desk && (
        <>
          <Divider my="xl" label="Account details, documents and audit trail" labelPosition="left" />
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, lg: 8 }}>
              <Stack gap="lg">
                <AccountCard account={data} accounts={accounts.data ?? []} />
                <DocumentsPanel entityType="account" entityId={data.account_id} />
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 4 }}>
              <AuditTrail entityType="account" entityId={data.account_id} />
            </Grid.Col>
          </Grid>
        </>
      )}
      {editing && <AccountFormModal account={data} onClose={edit.close} />}
      {adjusting && (
        <RequestAdjustmentModal
          onClose={adjust.close}
          accountId={data.account_id}
          source={{ type: 'account', id: data.account_id }}
        />
      )}
      {reminding && (
        <SendEmailModal
          opened
          onClose={remind.close}
          accountId={data.account_id}
          kind="reminder"
          billingEmail={data.billing_email}
        />
      )}
      {escalating && (
        <CreateTaskModal
          opened
          onClose={escalate.close}
          accountId={data.account_id}
          salesOwner={data.sales_owner}
        />
      )}
    </>
  );
}

function Account360({ accountId, mayWrite }: { accountId: string; mayWrite: boolean }) {
  const user = useUser();
  const overview = useAccountOverview(accountId);
  if (overview.isPending) return <Loading label="Loading the account’s receivables…" />;
  if (overview.isError)
    return (
      <LoadError error={overview.error} retry={() => void overview.refetch()} what="the account overview" />
    );
  const o = overview.data;
  return (
    <Grid gap="lg" data-testid="account-360">
      <Grid.Col span={{ base: 12, lg: 8 }}>
        <Stack gap="lg">
          <AccountSummary overview={o} />
          {hasAnyRole(user, receivablesReaders) && <OpenItems accountId={accountId} />}
          {hasAnyRole(user, cashDesk) && <CreditClearing accountId={accountId} />}
          <AccountTimeline accountId={accountId} mayWrite={mayWrite} />
          <ClaimsAndCredits overview={o} />
          <AccountDeductions accountId={accountId} />
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 4 }}>
        <Stack gap="lg">
          {hasAnyRole(user, creditReaders) && (
            <CreditCard
              accountId={accountId}
              currency={o.account.currency}
              mayRequest={hasAnyRole(user, limitRequesters)}
            />
          )}
          <ContactsCard overview={o} />
          <StrategyCard overview={o} />
          <PromisesList accountId={accountId} />
          {hasAnyRole(user, disputeReaders) && (
            <DisputesCard accountId={accountId} mayOpen={hasAnyRole(user, disputeOpeners)} />
          )}
          {hasAnyRole(user, certificateReaders) && (
            <CertificatesCard accountId={accountId} mayRequest={hasAnyRole(user, certificateRequesters)} />
          )}
          {hasAnyRole(user, ediReaders) && <EdiStatusCard accountId={accountId} />}
          {hasAnyRole(user, adjustmentRequesters) && <AdjustmentsCard accountId={accountId} />}
          {hasAnyRole(user, taskReaders) && <AccountTasks accountId={accountId} mayComplete />}
          <StatementsSent overview={o} />
        </Stack>
      </Grid.Col>
    </Grid>
  );
}
