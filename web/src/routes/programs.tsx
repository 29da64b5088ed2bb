import { Button, Group, Paper, Select, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconFileCertificate, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { programTypes, programWriters, typeLabels, versionStatuses } from '../features/contracts/contract';
import { ProgramsGrid } from '../features/contracts/programs-grid';
import { ProposeProgramModal } from '../features/contracts/propose-program-modal';
import { programsQuery, usePrograms } from '../features/contracts/use-contracts';
import { useUser } from '../features/identity/session';
import { hasAnyRole, isPartner } from '../features/identity/user';
import { gridViewsQuery } from '../ui/grid-views';
import { formatCount } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { SearchBox } from '../ui/search-box';
import { Empty, LoadError, Loading } from '../ui/states';

const statusFilterLabels: Record<(typeof versionStatuses)[number], string> = {
  draft: 'With a draft to approve',
  approved: 'With a version to activate',
  active: 'In force',
  superseded: 'With superseded versions',
  withdrawn: 'With withdrawn versions',
};

export function prefetch(): void {
  startQuery(programsQuery());
  startQuery(gridViewsQuery('programs-grid'));
}

/** The programs: every version status on the desk; in the portal, the partner's programs in force. */
export default function ProgramsPage() {
  const user = useUser();
  const partner = isPartner(user);
  const [type, setType] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [creating, create] = useDisclosure(false);
  const programs = usePrograms({ type: type ?? undefined, status: status ?? undefined });
  const mayWrite = hasAnyRole(user, programWriters);
  const filtered = type !== null || status !== null;

  return (
    <>
      <PageHeader
        title="Programs"
        description={
          partner
            ? 'The rebate and incentive programs you are enrolled in, with the terms in force. Open one to see what you can claim, on which products, and how much of its budget is left.'
            : 'Rebate programs and their versions: a change is a new version, in force only once approved and activated. Open a program for its terms, partners, products, budget and history.'
        }
        actions={
          mayWrite && (
            <Button leftSection={<IconPlus size={16} />} onClick={create.open}>
              New program
            </Button>
          )
        }
      />
      <Group gap="sm" mb="sm">
        <SearchBox value={search} onChange={setSearch} placeholder="Search programs" />
        <Select
          placeholder="Every type"
          data={programTypes.map((value) => ({ value, label: typeLabels[value] }))}
          value={type}
          onChange={setType}
          clearable
          w={200}
          aria-label="Type"
          data-testid="programs-type-filter"
        />
        {!partner && (
          <Select
            placeholder="Any status"
            data={versionStatuses.map((value) => ({ value, label: statusFilterLabels[value] }))}
            value={status}
            onChange={setStatus}
            clearable
            w={220}
            aria-label="Status"
            data-testid="programs-status-filter"
          />
        )}
      </Group>
      {programs.isPending ? (
        <Loading label="Loading programs…" />
      ) : programs.isError ? (
        <LoadError error={programs.error} retry={() => void programs.refetch()} what="programs" />
      ) : (
        <>
          <ProgramsGrid
            programs={programs.data}
            search={search}
            partner={partner}
            empty={
              <Paper withBorder>
                <Empty
                  icon={<IconFileCertificate size={22} stroke={1.5} />}
                  title={filtered ? 'No program matches these filters' : 'No programs yet'}
                  description={
                    filtered
                      ? 'Clear the type or status filter to see every program.'
                      : partner
                        ? 'You are not enrolled in a program in force yet. Your contact at the company enrols you.'
                        : 'Load programs.json under Imports, or create a program here; it applies once approved and activated.'
                  }
                />
              </Paper>
            }
          />
          {programs.data.length > 0 && (
            <Text size="xs" c="dimmed" mt="xs">
              {formatCount(programs.data.length)} program{programs.data.length === 1 ? '' : 's'}
            </Text>
          )}
        </>
      )}
      {creating && <ProposeProgramModal onClose={create.close} />}
    </>
  );
}
