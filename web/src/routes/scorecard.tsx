import { Group, Select, Stack } from '@mantine/core';
import { useMemo, useState } from 'react';
import { accountsQuery, useAccounts } from '../features/accounts/use-accounts';
import { PartnerFigures, ScorecardView } from '../features/claims-reports/scorecard-view';
import { scorecardQuery, useScorecard } from '../features/claims-reports/use-reports';
import { sessionUser, useUser } from '../features/identity/session';
import { hasAnyRole, isPartner } from '../features/identity/user';
import { messageDesk } from '../features/messages/messages';
import { RecommendationsCard } from '../features/messages/recommendations-card';
import { recommendationsQuery } from '../features/messages/use-messages';
import { PageHeader } from '../ui/page-header';
import { startAfter, startQuery } from '../ui/query-client';
import { LoadError, Loading } from '../ui/states';

/**
 * What the page shows first: every partner's (or the partner's own) scorecard, the accounts to pick from and,
 * for a partner and the desk that messages partners, the recommendations.
 */
export function prefetch(): void {
  startQuery(accountsQuery);
  startQuery(scorecardQuery(null));
  startAfter(sessionUser(), (user) => {
    if (user && (isPartner(user) || hasAnyRole(user, messageDesk))) startQuery(recommendationsQuery(null));
  });
}

/**
 * The partner scorecard: findings by rule code per month, error and first-pass rates and the top recurring
 * errors with their recommendations. The desk picks a partner (or sees all); a partner sees its own.
 */
export default function ScorecardPage() {
  const user = useUser();
  const partner = isPartner(user);
  const [accountId, setAccountId] = useState<string | null>(null);
  const accounts = useAccounts();
  const card = useScorecard(accountId);
  const options = useMemo(
    () =>
      (accounts.data ?? [])
        .map((a) => ({ value: a.account_id, label: `${a.name} (${a.account_id})` }))
        .sort((a, b) => a.label.localeCompare(b.label)),
    [accounts.data],
  );
  return (
    <>
      <PageHeader
        title={partner ? 'Scorecard' : 'Partner scorecard'}
        description={
          partner
            ? 'How your claims fare in validation: findings by rule code, your error and first-pass rates, and how to avoid the most frequent errors.'
            : 'Partners’ claim quality: findings by rule code per month, error and first-pass rates, and the advice to send on recurring errors.'
        }
        actions={
          <Group>
            <Select
              placeholder={partner ? 'All my accounts' : 'All partners'}
              clearable
              searchable
              data={options}
              value={accountId}
              onChange={setAccountId}
              w={280}
              data-testid="scorecard-partner"
            />
          </Group>
        }
      />
      {card.isPending ? (
        <Loading label="Loading the scorecard…" />
      ) : card.isError ? (
        <LoadError error={card.error} retry={() => void card.refetch()} what="the scorecard" />
      ) : (
        <Stack gap="lg">
          <ScorecardView card={card.data} partner={partner} />
          {!accountId && <PartnerFigures partners={card.data.partners} onPick={setAccountId} />}
          {(partner || hasAnyRole(user, messageDesk)) && <RecommendationsCard accountId={accountId} />}
        </Stack>
      )}
    </>
  );
}
