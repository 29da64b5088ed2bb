import { Button, Group, Select, Stack, Title } from '@mantine/core';
import { IconFileSpreadsheet, IconFileTypePdf, IconReceipt } from '@tabler/icons-react';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { accountsQuery, useAccounts } from '../features/accounts/use-accounts';
import { RaiseDisputeModal } from '../features/disputes/raise-dispute-modal';
import { accountDisputesQuery, useAccountDisputes } from '../features/disputes/use-disputes';
import { sessionUser, useUser } from '../features/identity/session';
import { isDate, type StatementOpenItem, statementUrl, todayDate } from '../features/receivables/receivables';
import {
  ActivityTable,
  AgingTable,
  DisputesTable,
  OpenItemsTable,
  StatementSummary,
} from '../features/receivables/statement-view';
import { statementQuery, useStatement } from '../features/receivables/use-receivables';
import { DateInput } from '../ui/date-input';
import { PageHeader } from '../ui/page-header';
import { startAfter, startQuery } from '../ui/query-client';
import { Empty, LoadError, Loading } from '../ui/states';

/** The first day of the month two months before `date`: three months of activity by default. */
function threeMonthsBack(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const month = (y * 12 + (m - 1) - 2) % 12;
  const year = Math.floor((y * 12 + (m - 1) - 2) / 12);
  return `${year}-${String(month + 1).padStart(2, '0')}-01`;
}

/**
 * What the page shows first: the partner's accounts, and the statement and disputes of the address's account
 * (or the user's own) over the address's dates (by default three months up to today).
 */
export function prefetch(url: URL): void {
  const params = url.searchParams;
  startQuery(accountsQuery);
  startAfter(sessionUser(), (user) => {
    const accountId = params.get('account') ?? user?.account_id ?? null;
    if (!accountId) return;
    const asOf = params.get('as_of') ?? todayDate();
    const from = params.get('from') ?? threeMonthsBack(asOf);
    if (isDate(asOf) && isDate(from) && from <= asOf) startQuery(statementQuery({ accountId, from, asOf }));
    startQuery(accountDisputesQuery(accountId));
  });
}

/**
 * "What I owe": the partner's statement of account on screen — balance with credits netted, what is past due,
 * the aging, the open items (each invoice with a Dispute button), the period's invoices, credits, payments and
 * applications — the same statement as the PDF and XLSX to download, and the disputes raised.
 */
export default function MyAccountPage() {
  const user = useUser();
  const accounts = useAccounts();
  const [params, setParams] = useSearchParams();
  const accountId = params.get('account') ?? user.account_id ?? null;
  const asOf = params.get('as_of') ?? todayDate();
  const from = params.get('from') ?? threeMonthsBack(asOf);
  const valid = isDate(asOf) && isDate(from) && from <= asOf;
  const statement = useStatement(accountId && valid ? { accountId, from, asOf } : null);
  const disputes = useAccountDisputes(accountId);
  const [disputing, setDisputing] = useState<{ item: StatementOpenItem; currency: string } | null>(null);

  const set = (key: string, value: string | null) =>
    setParams(
      (now) => {
        const next = new URLSearchParams(now);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const downloads = accountId && valid ? { accountId, from, asOf } : null;

  return (
    <>
      <PageHeader
        title="What you owe"
        description="Your statement of account: the balance with your credits netted, what is past due, every open item, and the invoices, credits and payments of the period. If an invoice is wrong, dispute it here."
        actions={
          <>
            <Button
              component="a"
              href={downloads ? statementUrl(downloads, 'pdf') : undefined}
              disabled={!downloads}
              variant="default"
              leftSection={<IconFileTypePdf size={16} />}
              data-testid="statement-pdf"
            >
              Statement (PDF)
            </Button>
            <Button
              component="a"
              href={downloads ? statementUrl(downloads, 'xlsx') : undefined}
              disabled={!downloads}
              variant="default"
              leftSection={<IconFileSpreadsheet size={16} />}
              data-testid="statement-xlsx"
            >
              Statement (XLSX)
            </Button>
          </>
        }
      />
      <Group gap="md" align="flex-end" mb="lg">
        {(accounts.data?.length ?? 0) > 1 && (
          <Select
            label="Account"
            data={(accounts.data ?? []).map((a) => ({
              value: a.account_id,
              label: `${a.name} (${a.account_id})`,
            }))}
            value={accountId}
            onChange={(v) => set('account', v)}
            allowDeselect={false}
            w={300}
          />
        )}
        <DateInput
          label="Activity from"
          value={from}
          onChange={(e) => set('from', e.currentTarget.value)}
          error={valid ? undefined : 'on or before the statement date'}
          w={170}
        />
        <DateInput
          label="Statement date"
          value={asOf}
          onChange={(e) => set('as_of', e.currentTarget.value)}
          w={170}
          data-testid="statement-as-of"
        />
      </Group>
      {!accountId ? (
        <Empty
          icon={<IconReceipt size={22} stroke={1.5} />}
          title="Your user is not linked to an organisation"
          description="Ask your contact at the company to link your user to your organisation's account."
        />
      ) : statement.isPending ? (
        <Loading label="Loading your statement…" />
      ) : statement.isError ? (
        <LoadError error={statement.error} retry={() => void statement.refetch()} what="your statement" />
      ) : (
        <Stack gap="lg" data-testid="what-i-owe">
          {statement.data.statements.map((st) => (
            <Stack key={st.currency} gap="md">
              {statement.data.statements.length > 1 && (
                <Title order={3} fz="lg" fw={600}>
                  In {st.currency}
                </Title>
              )}
              <StatementSummary s={statement.data} st={st} />
              <AgingTable s={statement.data} st={st} />
              <OpenItemsTable
                s={statement.data}
                st={st}
                disputes={disputes.data ?? []}
                onDispute={(item) => setDisputing({ item, currency: st.currency })}
              />
              <ActivityTable s={statement.data} st={st} />
            </Stack>
          ))}
          <DisputesTable disputes={disputes.data ?? []} />
        </Stack>
      )}
      {disputing && accountId && (
        <RaiseDisputeModal
          accountId={accountId}
          invoice={{
            id: disputing.item.item_id,
            open_amount: disputing.item.open_amount,
            currency: disputing.currency,
          }}
          onClose={() => setDisputing(null)}
        />
      )}
    </>
  );
}
