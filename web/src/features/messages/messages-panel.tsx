import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  CloseButton,
  FileButton,
  Group,
  Paper,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconMessages, IconPaperclip, IconSend } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { formatTimestamp } from '../../ui/dates';
import { GrowingTextarea } from '../../ui/growing-textarea';
import { LoadError, Loading } from '../../ui/states';
import { ruleTitle } from '../claims/claim';
import { useUser } from '../identity/session';
import { hasAnyRole, isPartner } from '../identity/user';
import { contentUrl } from '../platform/documents/document';
import {
  type Message,
  messageDesk,
  recommendationStatusColors,
  recommendationStatusLabels,
  type Subject,
} from './messages';
import { useConversation, useMarkRead, useMoveRecommendation, usePostMessage } from './use-messages';

const newClientId = () => crypto.randomUUID();

/**
 * The conversation about a claim (or with a partner account): the messages of both sides, oldest first,
 * with their documents and, for the desk, whom each was e-mailed to; write one with files attached. Opening
 * it marks the other side's messages read.
 */
export function MessagesPanel({ subject, title = 'Messages' }: { subject: Subject; title?: string }) {
  const user = useUser();
  const partner = isPartner(user);
  const canWrite = partner || hasAnyRole(user, messageDesk);
  const conversation = useConversation(subject);
  const post = usePostMessage(subject);
  const markRead = useMarkRead();
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  // One id per message being written: a send retried after a failure does not post it twice.
  const [clientId, setClientId] = useState(newClientId);

  const items = conversation.data?.items ?? [];
  const lastUnread = [...items].reverse().find((m) => m.unread)?.message_id;
  const mark = markRead.mutate;
  useEffect(() => {
    if (lastUnread) mark(lastUnread);
  }, [lastUnread, mark]);

  const send = () =>
    post.mutate(
      { body, files, clientId },
      {
        onSuccess: () => {
          setBody('');
          setFiles([]);
          setClientId(newClientId());
        },
        onError: (err) => notifications.show({ color: 'red', message: (err as Error).message }),
      },
    );

  return (
    <Card id="messages" data-testid="messages-panel">
      <Group justify="space-between" mb="sm">
        <Group gap="xs">
          <IconMessages size={18} stroke={1.6} />
          <Title order={3} fz="md" fw={600}>
            {title}
          </Title>
          {(conversation.data?.unread ?? 0) > 0 && (
            <Badge color="red" size="sm" data-testid="messages-unread">
              {conversation.data?.unread} new
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          {partner
            ? 'Your analyst is told by e-mail of each message.'
            : 'The partner is told by e-mail of each message.'}
        </Text>
      </Group>
      {conversation.isPending ? (
        <Loading label="Loading messages…" />
      ) : conversation.isError ? (
        <LoadError error={conversation.error} retry={() => void conversation.refetch()} what="the messages" />
      ) : (
        <Stack gap="sm">
          {items.length === 0 && (
            <Text size="sm" c="dimmed" data-testid="messages-empty">
              {partner
                ? 'No messages yet. Ask your analyst anything about this here.'
                : 'No messages yet. Write to the partner here.'}
            </Text>
          )}
          {items.map((m) => (
            <MessageItem key={m.message_id} message={m} partner={partner} />
          ))}
          {canWrite && (
            <Stack gap="xs" mt="xs">
              <GrowingTextarea
                placeholder={partner ? 'Write to your analyst…' : 'Write to the partner…'}
                minRows={2}
                maxRows={10}
                value={body}
                onChange={(e) => setBody(e.currentTarget.value)}
                data-testid="message-body"
              />
              {files.length > 0 && (
                <Group gap="xs">
                  {files.map((f) => (
                    <Badge
                      key={f.name}
                      variant="light"
                      color="gray"
                      rightSection={
                        <CloseButton
                          size="xs"
                          aria-label={`Remove ${f.name}`}
                          onClick={() => setFiles(files.filter((x) => x !== f))}
                        />
                      }
                    >
                      {f.name}
                    </Badge>
                  ))}
                </Group>
              )}
              {post.isError && (
                <Alert color="red" variant="light">
                  {(post.error as Error).message}
                </Alert>
              )}
              <Group justify="space-between">
                <FileButton multiple onChange={(picked) => setFiles([...files, ...picked].slice(0, 10))}>
                  {(props) => (
                    <Button
                      {...props}
                      variant="subtle"
                      size="xs"
                      leftSection={<IconPaperclip size={14} />}
                      data-testid="message-attach"
                    >
                      Attach files
                    </Button>
                  )}
                </FileButton>
                <Button
                  onClick={send}
                  disabled={!body.trim()}
                  loading={post.isPending}
                  leftSection={<IconSend size={16} />}
                  data-testid="message-send"
                >
                  Send
                </Button>
              </Group>
            </Stack>
          )}
        </Stack>
      )}
    </Card>
  );
}

function MessageItem({ message: m, partner }: { message: Message; partner: boolean }) {
  const move = useMoveRecommendation();
  const fromDesk = m.author_side === 'desk';
  const r = m.recommendation;
  return (
    <Paper
      withBorder
      p="sm"
      ml={m.mine ? 'xl' : 0}
      mr={m.mine ? 0 : 'xl'}
      bg={m.mine ? 'var(--mantine-color-blue-light)' : undefined}
      style={m.unread ? { borderColor: 'var(--mantine-color-red-5)' } : undefined}
      data-testid="message"
      data-side={m.author_side}
    >
      <Group justify="space-between" gap="xs" mb={4}>
        <Group gap={6}>
          <Text size="sm" fw={600}>
            {m.author_name}
          </Text>
          <Badge size="xs" variant="light" color={fromDesk ? 'indigo' : 'teal'}>
            {fromDesk ? (partner ? 'Your analyst' : 'Desk') : 'Partner'}
          </Badge>
          {r && (
            <Badge size="xs" variant="light" color={recommendationStatusColors[r.status]}>
              Recommendation · {partner ? ruleTitle(r.rule_code) : r.rule_code} ·{' '}
              {recommendationStatusLabels[r.status]}
            </Badge>
          )}
          {m.unread && (
            <Badge size="xs" color="red">
              New
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          {formatTimestamp(m.created_at)}
        </Text>
      </Group>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="message-text">
        {m.body}
      </Text>
      {m.attachments.length > 0 && (
        <Group gap="sm" mt={6}>
          {m.attachments.map((a) => (
            <Anchor
              key={a.document_id}
              href={contentUrl(a)}
              size="sm"
              target="_blank"
              rel="noopener"
              data-testid="message-attachment"
            >
              <Group gap={4} wrap="nowrap">
                <IconPaperclip size={14} />
                {a.file_name}
              </Group>
            </Anchor>
          ))}
        </Group>
      )}
      {m.emails.length > 0 && (
        <Text size="xs" c="dimmed" mt={6}>
          E-mailed to {m.emails.map((e) => `${e.to.join(', ')} (${e.status})`).join('; ')}
        </Text>
      )}
      {r && partner && r.status === 'sent' && (
        <Button
          size="xs"
          variant="light"
          mt="xs"
          loading={move.isPending}
          onClick={() => move.mutate({ id: m.message_id, to: 'acknowledge' })}
          data-testid="acknowledge-recommendation"
        >
          Acknowledge
        </Button>
      )}
    </Paper>
  );
}
