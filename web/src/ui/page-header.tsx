import { Flex, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** The top of every page: what it is, one sentence on what it is for, and its actions on the right. */
export function PageHeader({
  title,
  description,
  actions,
  above,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  /** A breadcrumb or badge line above the title. */
  above?: ReactNode;
}) {
  return (
    <Flex
      direction={{ base: 'column', md: 'row' }}
      justify="space-between"
      align={{ base: 'stretch', md: 'flex-end' }}
      gap="md"
      mb="lg"
    >
      <Stack gap={4} miw={0}>
        {above}
        <Title order={2} fw={600} fz={26}>
          {title}
        </Title>
        {description && (
          <Text c="dimmed" size="sm" maw={720}>
            {description}
          </Text>
        )}
      </Stack>
      {actions && (
        <Group gap="sm" wrap="wrap" style={{ flexShrink: 0 }}>
          {actions}
        </Group>
      )}
    </Flex>
  );
}
