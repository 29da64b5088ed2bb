import { Badge, Card, Group, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconArrowRight } from '@tabler/icons-react';
import { Link } from 'react-router';
import { deskSectionsFor } from '../app-navigation';
import { useUser } from '../features/identity/session';
import { roleLabel } from '../features/identity/user';
import { PageHeader } from '../ui/page-header';
import { Empty } from '../ui/states';

function greeting(now: Date): string {
  const hour = now.getHours();
  return hour < 12 ? 'Good morning' : hour < 18 ? 'Good afternoon' : 'Good evening';
}

export default function DeskHome() {
  const user = useUser();
  const sections = deskSectionsFor(user);
  const firstName = user.name.split(/\s+/)[0] ?? user.name;

  return (
    <>
      <PageHeader
        title={`${greeting(new Date())}, ${firstName}`}
        description="Everything your roles let you work on in Clearhouse, by area."
        actions={
          <Group gap={6}>
            {user.roles.map((role) => (
              <Badge key={role} variant="light" color="gray">
                {roleLabel(role)}
              </Badge>
            ))}
          </Group>
        }
      />
      {sections.length === 0 ? (
        <Empty
          title="Nothing to work on yet"
          description="Your roles do not include any pages yet. Ask an administrator to add the role you need."
        />
      ) : (
        <Stack gap="xl">
          {sections.map(({ section, entries }) => (
            <Stack key={section} gap="sm">
              <Title order={3} fz="sm" fw={600} c="dimmed" tt="uppercase" lts={0.4}>
                {section}
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 2, xl: 3 }} spacing="md">
                {entries.map((entry) => (
                  <Card
                    key={entry.path}
                    component={Link}
                    to={entry.path}
                    data-testid={`home-card-${entry.path}`}
                    style={{ textDecoration: 'none', color: 'inherit' }}
                  >
                    <Group wrap="nowrap" align="flex-start" gap="md">
                      <ThemeIcon size={40} radius="md" variant="light">
                        <entry.icon size={22} stroke={1.6} />
                      </ThemeIcon>
                      <Stack gap={4} style={{ flex: 1 }}>
                        <Group justify="space-between" wrap="nowrap">
                          <Text fw={600}>{entry.label}</Text>
                          <IconArrowRight size={16} color="var(--mantine-color-dimmed)" />
                        </Group>
                        <Text size="sm" c="dimmed">
                          {entry.description}
                        </Text>
                      </Stack>
                    </Group>
                  </Card>
                ))}
              </SimpleGrid>
            </Stack>
          ))}
        </Stack>
      )}
    </>
  );
}
