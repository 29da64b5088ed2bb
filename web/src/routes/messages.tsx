import {
  Anchor,
  Badge,
  Grid,
  Group,
  NavLink,
  Paper,
  ScrollArea,
  Select,
  Stack,
  Switch,
  Text,
} from '@mantine/core';
import { IconMessages } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { accountsQuery, useAccounts } from '../features/accounts/use-accounts';
import { sessionUser, useUser } from '../features/identity/session';
import { isPartner } from '../features/identity/user';
import type { Subject } from '../features/messages/messages';
import { MessagesPanel } from '../features/messages/messages-panel';
import { conversationQuery, threadsQuery, useThreads } from '../features/messages/use-messages';
import { formatAgo } from '../ui/dates';
import { PageHeader } from '../ui/page-header';
import { startAfter, startQuery } from '../ui/query-client';
import { Empty, LoadError, Loading } from '../ui/states';

/** The conversation shown: the address's, else (a partner's) the general one of its own account. */
function shownSubject(params: URLSearchParams, ownAccount: string | null): Subject | null {
  const accountId = params.get('account_id') ?? ownAccount;
  return accountId ? { accountId, claimId: params.get('claim_id') } : null;
}

/**
 * What the page shows first: the conversations, the accounts, and the conversation the address opens (for a
 * partner without one, its own account's).
 */
export function prefetch(url: URL): void {
  startQuery(threadsQuery({ unread: false }));
  startQuery(accountsQuery);
  const open = (ownAccount: string | null) => {
    const subject = shownSubject(url.searchParams, ownAccount);
    if (subject) startQuery(conversationQuery(subject));
  };
  if (url.searchParams.has('account_id')) open(null);
  else
    startAfter(sessionUser(), (user) => {
      if (user && isPartner(user)) open(user.account_id);
    });
}

/**
 * The messages inbox, for the desk and the portal: every conversation (one per claim, one general one per
 * partner account), unread first, and the one picked beside it. The desk can start a conversation with any
 * partner; a partner writes to its analyst.
 */
export default function MessagesPage() {
  const user = useUser();
  const partner = isPartner(user);
  const [search, setSearch] = useSearchParams();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const threads = useThreads({ unread: unreadOnly });
  const accounts = useAccounts();
  const subject = shownSubject(search, partner ? user.account_id : null);
  const accountId = subject?.accountId ?? null;
  const claimId = search.get('claim_id');
  const pick = (account: string, claim: string | null) =>
    setSearch(claim ? { account_id: account, claim_id: claim } : { account_id: account });
  const options = useMemo(
    () =>
      (accounts.data ?? [])
        .map((a) => ({ value: a.account_id, label: `${a.name} (${a.account_id})` }))
        .sort((a, b) => a.label.localeCompare(b.label)),
    [accounts.data],
  );
  const partnerName = (id: string) => accounts.data?.find((a) => a.account_id === id)?.name ?? id;

  return (
    <>
      <PageHeader
        title="Messages"
        description={
          partner
            ? 'Your conversations with your analyst: one on each claim and a general one. We e-mail you when they answer.'
            : 'Conversations with partners: one on each claim and a general one per partner, unread first. Partners are told by e-mail.'
        }
        actions={
          <Group>
            <Switch
              label="Unread only"
              checked={unreadOnly}
              onChange={(e) => setUnreadOnly(e.currentTarget.checked)}
              data-testid="messages-unread-only"
            />
            {(!partner || options.length > 1) && (
              <Select
                placeholder={partner ? 'Write about an account' : 'Write to a partner'}
                searchable
                data={options}
                value={null}
                onChange={(v) => v && pick(v, null)}
                w={260}
                data-testid="messages-write-to"
              />
            )}
          </Group>
        }
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 5, lg: 4 }}>
          <Paper withBorder p="xs" data-testid="message-threads">
            {threads.isPending ? (
              <Loading label="Loading conversations…" />
            ) : threads.isError ? (
              <LoadError
                error={threads.error}
                retry={() => void threads.refetch()}
                what="the conversations"
              />
            ) : threads.data.items.length === 0 ? (
              <Empty
                icon={<IconMessages size={22} stroke={1.5} />}
                title={unreadOnly ? 'Nothing unread' : 'No conversations yet'}
                description={
                  partner
                    ? 'Ask about a claim from its page, or write a general message here.'
                    : 'Partners’ questions on their claims appear here.'
                }
              />
            ) : (
              <ScrollArea.Autosize mah="70vh">
                <Stack gap={2}>
                  {threads.data.items.map((t) => (
                    <NavLink
                      key={t.thread_id}
                      active={t.account_id === accountId && (t.claim_id ?? null) === (claimId ?? null)}
                      onClick={() => pick(t.account_id, t.claim_id)}
                      data-testid="message-thread"
                      label={
                        <Group justify="space-between" wrap="nowrap" gap="xs">
                          <Text size="sm" fw={t.unread > 0 ? 700 : 500} truncate>
                            {t.claim_id ? `Claim ${t.claim_id}` : 'General'}
                            {!partner && ` · ${t.partner_name ?? t.account_id}`}
                          </Text>
                          {t.unread > 0 && (
                            <Badge size="sm" color="red" data-testid="thread-unread">
                              {t.unread}
                            </Badge>
                          )}
                        </Group>
                      }
                      description={
                        t.last_message && (
                          <Text size="xs" c="dimmed" lineClamp={2}>
                            {t.last_message.author_name}: {t.last_message.excerpt} ·{' '}
                            {formatAgo(t.last_message_at)}
                          </Text>
                        )
                      }
                    />
                  ))}
                </Stack>
              </ScrollArea.Autosize>
            )}
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7, lg: 8 }}>
          {subject ? (
            <Stack gap="xs">
              {subject.claimId && (
                <Anchor
                  component={Link}
                  size="sm"
                  to={`/claims/${encodeURIComponent(subject.claimId)}?account_id=${encodeURIComponent(subject.accountId)}`}
                >
                  Open claim {subject.claimId}
                </Anchor>
              )}
              <MessagesPanel
                key={`${subject.accountId}/${subject.claimId ?? ''}`}
                subject={subject}
                title={
                  subject.claimId
                    ? `Claim ${subject.claimId}${partner ? '' : ` · ${partnerName(subject.accountId)}`}`
                    : `General · ${partnerName(subject.accountId)}`
                }
              />
            </Stack>
          ) : (
            <Paper withBorder>
              <Empty
                icon={<IconMessages size={22} stroke={1.5} />}
                title="Pick a conversation"
                description="Or write to a partner: pick it above."
              />
            </Paper>
          )}
        </Grid.Col>
      </Grid>
    </>
  );
}
