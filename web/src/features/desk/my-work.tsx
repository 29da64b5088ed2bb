import { Anchor, Badge, Group, Paper, SimpleGrid, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { IconArrowRight } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router';
import { formatDate } from '../../ui/dates';
import { formatMoney } from '../../ui/money';
import type { Figure, Home, SlaLight, WorkSection } from './use-home';

const lights: Record<SlaLight, { label: string; color: string }> = {
  breached: { label: 'Breached', color: 'red' },
  due_soon: { label: 'Due soon', color: 'orange' },
  on_track: { label: 'On track', color: 'teal' },
};

function FigureCard({ figure }: { figure: Figure }) {
  const value =
    figure.kind === 'amount'
      ? formatMoney(figure.value, figure.currency)
      : Number(figure.value).toLocaleString();
  const body = (
    <Paper withBorder p="md" h="100%" data-testid={`figure-${figure.label}`}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.3}>
        {figure.label}
      </Text>
      <Text fz={20} fw={700} c={figure.alert ? 'red.7' : undefined} mt={4} style={{ whiteSpace: 'nowrap' }}>
        {value}
      </Text>
    </Paper>
  );
  return figure.href ? (
    <UnstyledButton component={Link} to={figure.href}>
      {body}
    </UnstyledButton>
  ) : (
    body
  );
}

function Section({ section }: { section: WorkSection }) {
  const navigate = useNavigate();
  return (
    <Paper withBorder p="md" data-testid={`work-${section.key}`}>
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Group gap="xs">
          <Title order={4} fz="md">
            {section.title}
          </Title>
          <Badge variant="light" color={section.total > 0 ? 'indigo' : 'gray'}>
            {section.total}
          </Badge>
        </Group>
        <Anchor component={Link} to={section.href} size="sm">
          Open all <IconArrowRight size={12} />
        </Anchor>
      </Group>
      {section.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing waits here.
        </Text>
      ) : (
        <Stack gap={0}>
          {section.items.map((item) => (
            <UnstyledButton
              key={item.id}
              onClick={() => navigate(item.href)}
              py={6}
              px={4}
              style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}
              data-testid={`work-item-${item.id}`}
            >
              <Group justify="space-between" wrap="nowrap" gap="sm">
                <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
                  {item.state ? (
                    <Badge color={lights[item.state].color} variant="light" w={84} style={{ flexShrink: 0 }}>
                      {lights[item.state].label}
                    </Badge>
                  ) : (
                    <span style={{ width: 84, flexShrink: 0 }} />
                  )}
                  <Stack gap={0} style={{ minWidth: 0 }}>
                    <Text size="sm" fw={500} truncate>
                      {item.label}
                    </Text>
                    <Text size="xs" c="dimmed" truncate>
                      {item.detail}
                    </Text>
                  </Stack>
                </Group>
                <Stack gap={0} align="flex-end" style={{ flexShrink: 0 }}>
                  {item.amount && (
                    <Text size="sm" fw={500}>
                      {formatMoney(item.amount, item.currency)}
                    </Text>
                  )}
                  {item.due_date && (
                    <Text size="xs" c="dimmed">
                      due {formatDate(item.due_date)}
                    </Text>
                  )}
                </Stack>
              </Group>
            </UnstyledButton>
          ))}
        </Stack>
      )}
    </Paper>
  );
}

/** A home: the role's figures, then what waits for the user, most urgent first. */
export function MyWork({ home }: { home: Home }) {
  return (
    <Stack gap="lg" data-testid={`home-${home.home}`}>
      {home.figures.length > 0 && (
        <SimpleGrid cols={{ base: 2, md: 3, lg: 5 }} spacing="sm">
          {home.figures.map((f) => (
            <FigureCard key={`${f.label}-${f.currency ?? ''}`} figure={f} />
          ))}
        </SimpleGrid>
      )}
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        {home.work.map((s) => (
          <Section key={s.key} section={s} />
        ))}
      </SimpleGrid>
    </Stack>
  );
}
