import {
  Alert,
  Anchor,
  Badge,
  Button,
  DataList,
  Drawer,
  Group,
  Paper,
  Stack,
  TagsInput,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconRefresh, IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { formMessage } from '../../ui/api';
import { formatTimestamp } from '../../ui/dates';
import { LoadError, Loading } from '../../ui/states';
import { type EmailDetail, eventLabels, kindLabels, statusColors, statusLabels } from './correspondence';
import { useEmail, useEmailAction } from './use-correspondence';

/**
 * One e-mail: who it went to, its text and attachments, its status with the last error, every attempt
 * (failures, retries, bounces, resends), the .eml as sent, and — for the company's senders — retry now (a
 * failed one) or resend as a new e-mail, to corrected recipients if the address bounced.
 */
export function EmailDrawer({
  emailId,
  onClose,
  onOpen,
  maySend,
}: {
  emailId: string | null;
  onClose: () => void;
  onOpen: (emailId: string) => void;
  maySend: boolean;
}) {
  const detail = useEmail(emailId);
  const e = detail.data?.email;
  return (
    <Drawer
      opened={emailId !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={e ? e.subject : 'E-mail'}
      styles={{ title: { fontWeight: 600, fontSize: 'var(--mantine-font-size-lg)' } }}
    >
      {detail.isPending ? (
        <Loading label="Loading the e-mail…" />
      ) : detail.isError ? (
        <LoadError error={detail.error} retry={() => void detail.refetch()} what="the e-mail" />
      ) : (
        <EmailBody key={detail.data.email.email_id} detail={detail.data} onOpen={onOpen} maySend={maySend} />
      )}
    </Drawer>
  );
}

/** Keyed by the e-mail, so the recipients to resend to and the last action start afresh for each one. */
function EmailBody({
  detail,
  onOpen,
  maySend,
}: {
  detail: EmailDetail;
  onOpen: (emailId: string) => void;
  maySend: boolean;
}) {
  const action = useEmailAction();
  const e = detail.email;
  const [to, setTo] = useState<string[]>(e.to_addresses);
  const act = (kind: 'retry' | 'resend') =>
    action.mutate(
      { emailId: e.email_id, action: kind, to: kind === 'resend' ? to : undefined },
      {
        onSuccess: ({ email }) => {
          notifications.show({
            color: email.status === 'sent' ? 'teal' : 'orange',
            title: kind === 'retry' ? `Retried: ${email.status}` : `Resent: ${email.status}`,
            message: `${email.subject} — ${email.to_addresses.join(', ')}`,
          });
          if (kind === 'resend') onOpen(email.email_id);
        },
      },
    );

  return (
    <Stack gap="lg" data-testid="email-detail">
      <Group gap="xs">
        <Badge color={statusColors[e.status]} variant="light" data-testid="email-status">
          {statusLabels[e.status]}
        </Badge>
        <Badge color="gray" variant="light">
          {kindLabels[e.kind] ?? e.kind}
        </Badge>
        {e.transport && (
          <Badge color="gray" variant="outline">
            {e.transport === 'smtp' ? 'SMTP' : 'outbox'}
          </Badge>
        )}
      </Group>
      {(e.status === 'failed' || e.status === 'bounced') && (
        <Alert
          color={e.status === 'bounced' ? 'red' : 'orange'}
          variant="light"
          title={statusLabels[e.status]}
        >
          {e.bounce_reason ?? e.last_error}
          {e.status === 'failed' && (
            <Text size="sm" mt={4}>
              Attempt {e.attempts}; tried again automatically from {formatTimestamp(e.next_attempt_at)}.
            </Text>
          )}
        </Alert>
      )}
      <DataList labelWidth={110} withDivider>
        {(
          [
            [
              'Account',
              <Anchor key="a" component={Link} to={`/accounts/${encodeURIComponent(e.account_id)}`} size="sm">
                {e.account_id}
              </Anchor>,
            ],
            [
              'About',
              e.document_id ? (
                <Anchor
                  key="d"
                  component={Link}
                  to={`/aging/items/${encodeURIComponent(e.document_id)}`}
                  size="sm"
                >
                  {e.document_id}
                </Anchor>
              ) : (
                '—'
              ),
            ],
            ['From', e.from_address],
            ['To', e.to_addresses.join(', ')],
            ['Cc', e.cc_addresses.join(', ') || '—'],
            ['Queued', `${formatTimestamp(e.created_at)}${e.created_by ? ` by ${e.created_by}` : ''}`],
            ['Sent', formatTimestamp(e.sent_at) || '—'],
            ['Attempts', String(e.attempts)],
            ['Message-ID', e.message_id ?? '—'],
          ] as const
        ).map(([label, value]) => (
          <DataList.Item key={label}>
            <DataList.ItemLabel>{label}</DataList.ItemLabel>
            <DataList.ItemValue style={{ overflowWrap: 'anywhere' }}>{value}</DataList.ItemValue>
          </DataList.Item>
        ))}
      </DataList>
      <Group gap="xs">
        {e.eml_path && (
          <Button
            component="a"
            href={`/api/emails/${encodeURIComponent(e.email_id)}/raw`}
            variant="default"
            leftSection={<IconDownload size={16} />}
            data-testid="email-download"
          >
            Download .eml
          </Button>
        )}
        {e.attachments.map((id, i) => (
          <Button
            key={id}
            component="a"
            href={`/api/documents/${encodeURIComponent(id)}/content`}
            variant="subtle"
            leftSection={<IconDownload size={16} />}
          >
            Attachment {e.attachments.length > 1 ? i + 1 : ''}
          </Button>
        ))}
      </Group>
      {maySend && e.status !== 'queued' && (
        <Paper withBorder p="md">
          <Stack gap="sm">
            <Title order={5}>Send again</Title>
            {e.status === 'failed' && (
              <Group justify="space-between">
                <Text size="sm">Try the same e-mail again now instead of waiting for the next attempt.</Text>
                <Button
                  leftSection={<IconRefresh size={16} />}
                  onClick={() => act('retry')}
                  loading={action.isPending && action.variables?.action === 'retry'}
                  data-testid="email-retry"
                >
                  Retry now
                </Button>
              </Group>
            )}
            <TagsInput
              label="Resend to"
              description={
                e.status === 'bounced'
                  ? 'The address bounced: correct it, and a new e-mail with the same text and attachments goes out.'
                  : 'A new e-mail with the same text and attachments; this one keeps its history.'
              }
              value={to}
              onChange={setTo}
              splitChars={[',', ' ', ';']}
              data-testid="email-resend-to"
            />
            <Group justify="flex-end">
              <Button
                variant="light"
                leftSection={<IconSend size={16} />}
                onClick={() => act('resend')}
                disabled={to.length === 0}
                loading={action.isPending && action.variables?.action === 'resend'}
                data-testid="email-resend"
              >
                Resend
              </Button>
            </Group>
            {action.error && (
              <Alert color="red" variant="light">
                {formMessage(action.error, [])}
              </Alert>
            )}
          </Stack>
        </Paper>
      )}
      <Stack gap="xs">
        <Title order={5}>History</Title>
        <Timeline bulletSize={16} lineWidth={2} data-testid="email-history">
          {detail.history.map((h) => (
            <Timeline.Item
              key={`${h.at}-${h.event}-${h.attempt ?? ''}-${h.email_id ?? ''}`}
              title={`${eventLabels[h.event] ?? h.event}${h.attempt ? ` (attempt ${h.attempt})` : ''}`}
              color={
                h.event === 'failed'
                  ? 'orange'
                  : h.event === 'bounced'
                    ? 'red'
                    : h.event === 'sent'
                      ? 'teal'
                      : 'gray'
              }
            >
              <Text size="xs" c="dimmed">
                {formatTimestamp(h.at)} · {h.actor}
                {h.transport ? ` · ${h.transport}` : ''}
              </Text>
              {h.error && (
                <Text size="xs" c="red">
                  {h.error}
                </Text>
              )}
              {h.email_id && (
                <Anchor size="xs" onClick={() => onOpen(h.email_id!)} component="button">
                  Open the new e-mail
                </Anchor>
              )}
            </Timeline.Item>
          ))}
        </Timeline>
      </Stack>
      <Stack gap="xs">
        <Title order={5}>Text</Title>
        <Paper withBorder p="md" bg="gray.0">
          <Text size="sm" ff="monospace" style={{ whiteSpace: 'pre-wrap' }}>
            {detail.email.body}
          </Text>
        </Paper>
      </Stack>
    </Stack>
  );
}
