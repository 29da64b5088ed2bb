import { ActionIcon, Alert, Code, CopyButton, Group, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy, IconKey } from '@tabler/icons-react';

/** A secret the server will never show again (generated password, API token): copy it now. */
export function ShownOnce({ label, secret, note }: { label: string; secret: string; note?: string }) {
  return (
    <Alert color="yellow" variant="light" icon={<IconKey size={18} />} title={label} data-testid="shown-once">
      <Text size="sm" mb="xs">
        {note ?? 'Copy it now: Clearhouse keeps only a hash and cannot show it again.'}
      </Text>
      <Group gap="xs" wrap="nowrap">
        <Code
          fz="sm"
          py={6}
          px={10}
          style={{ flex: 1, wordBreak: 'break-all' }}
          data-testid="shown-once-secret"
        >
          {secret}
        </Code>
        <CopyButton value={secret} timeout={2000}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? 'Copied' : 'Copy'} withArrow>
              <ActionIcon variant="light" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label="Copy">
                {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
    </Alert>
  );
}
