import { Badge, Card, Group, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconArrowRight } from '@tabler/icons-react';
import { Link, useSearchParams } from 'react-router';
import { deskSectionsFor } from '../app-navigation';
import { MyWork } from '../features/desk/my-work';
import { type HomeKind, useHome, useHomes } from '../features/desk/use-home';
import { useUser } from '../features/identity/session';
import { roleLabel } from '../features/identity/user';
import { PageHeader } from '../ui/page-header';
import { Segmented } from '../ui/segmented';
import { Empty, LoadError, Loading } from '../ui/states';

function greeting(now: Date): string {
  const hour = now.getHours();
  return hour < 12 ? 'Good morning' : hour < 18 ? 'Good afternoon' : 'Good evening';
}

/** The user's home for a role: tabs when the roles give several, the first one by default (?home=). */
function RoleHome() {
  const homes = useHomes();
  const [search, setSearch] = useSearchParams();
  const list = homes.data?.homes ?? [];
  const wanted = search.get('home');
  const current: HomeKind | null = list.find((h) => h.home === wanted)?.home ?? list[0]?.home ?? null;
  const home = useHome(current);
  if (homes.isPending) return <Loading label="Loading your work…" />;
  if (homes.isError)
    return <LoadError error={homes.error} retry={() => void homes.refetch()} what="your home" />;
  if (!current) return null;
  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Title order={3} fz="sm" fw={600} c="dimmed" tt="uppercase" lts={0.4}>
          My work
        </Title>
        {list.length > 1 && (
          <Segmented
            size="xs"
            value={current}
            onChange={(value) => setSearch({ home: value }, { replace: true })}
            data={list.map((h) => ({ value: h.home, label: h.title }))}
            data-testid="home-tabs"
          />
        )}
      </Group>
      {home.isPending ? (
        <Loading label="Loading your work…" />
      ) : home.isError ? (
        <LoadError error={home.error} retry={() => void home.refetch()} what="your work" />
      ) : (
        <MyWork home={home.data} />
      )}
    </Stack>
  );
}

export default function DeskHome() {
  const user = useUser();
  const sections = deskSectionsFor(user);
  const firstName = user.name.split(/\s+/)[0] ?? user.name;

  return (
    <>
      <PageHeader
        title={`${greeting(new Date())}, ${firstName}`}
        description="What waits for you, most urgent first, and the figures of your role; every area below."
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
      <RoleHome />
      <Title order={3} fz="sm" fw={600} c="dimmed" tt="uppercase" lts={0.4} mt="xl" mb="sm">
        All areas
      </Title>
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
